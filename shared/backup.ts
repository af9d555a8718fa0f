/**
 * A backup: ClickHouse's own backup of the store plus a copy of the server's files (accounts,
 * tokens, audit, secrets, write-ahead log), described by the manifest written last — a backup
 * directory without one is incomplete and is never restored.
 */
import { Type, type Static } from 'typebox';

export const BACKUP_FORMAT = 1;

export const BackupManifestSchema = Type.Object({
  format: Type.Literal(BACKUP_FORMAT),
  /** The backup's directory name under BACKUP_DIR, e.g. `wmsj-20261206T204712Z`. */
  name: Type.String(),
  /** Absolute path of the backup directory on the server. */
  path: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  /**
   * The cut: the store holds every event the write-ahead log accepted before this position (every
   * event acknowledged before the backup began, and none after it); events acknowledged while the
   * backup ran are in its copy of the log and are written into the store when a restore starts.
   */
  walPosition: Type.Integer({ minimum: 0 }),
  store: Type.Object({
    /** Rows in `events` at the cut. */
    events: Type.Integer({ minimum: 0 }),
    files: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0 }),
    /** The newest migration applied: a release older than this cannot restore it. */
    schemaVersion: Type.Integer({ minimum: 0 }),
  }),
  /** The server's own files copied, relative to the data directory. */
  files: Type.Array(Type.String()),
  durationMs: Type.Number({ minimum: 0 }),
});
export type BackupManifest = Static<typeof BackupManifestSchema>;
