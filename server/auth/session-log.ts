/**
 * Where people's sessions are kept beyond this process's memory, so a restart or a deploy does not
 * sign every dispatcher out. The session store (sessions.ts) answers every lookup from memory and
 * writes each new or ended session through a `SessionBackend` before the login or logout is
 * answered; at start it loads the unexpired ones back.
 *
 * `FileSessionLog` is the one-server backend: an append-only JSON-lines file in DATA_DIR (0600),
 * fsynced on every write, holding only each session's key — a hash of its id, which stays in the
 * cookie alone — with its username and times. At open it folds the log, drops expired and ended
 * sessions and rewrites it compacted (atomically); it compacts again once ended sessions outnumber
 * live ones. A torn last line (a crash mid-append) is skipped. Several server processes need a
 * shared backend instead (Redis, issue 18) with the same four calls, plus telling each process of
 * the others' changes.
 */
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { writePrivate } from './files.js';

/** The log's name in DATA_DIR (left out of backups: server/backup/backup.ts). */
export const SESSION_LOG = 'sessions.jsonl';

export const StoredSessionSchema = Type.Object({
  /** The session id's hash (sessions.ts `sessionKey`); the id itself is never stored. */
  key: Type.String({ pattern: '^[0-9a-f]{32,64}$' }),
  username: Type.String({ minLength: 1, maxLength: 64 }),
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
});
export type StoredSession = Static<typeof StoredSessionSchema>;

export interface SessionBackend {
  /** The sessions unexpired at `now`, read once at start. */
  load(now: number): StoredSession[];
  /** Kept durably before it resolves: an answered login survives a crash. */
  put(session: StoredSession): Promise<void>;
  /** Forgotten durably before it resolves: an answered logout stays a logout after a restart. */
  remove(keys: readonly string[]): Promise<void>;
  close(): void;
  /** A shared backend: the session as stored now (null: none, or ended), made on any node. */
  fetch?(key: string): Promise<StoredSession | null>;
  /** A shared backend: the keys of every open session of a (lower-cased) user, made on any node. */
  keysOf?(username: string): Promise<string[]>;
}

const LineSchema = Type.Union([
  Type.Object({ put: StoredSessionSchema }, { additionalProperties: false }),
  Type.Object({ del: Type.Array(StoredSessionSchema.properties.key) }, { additionalProperties: false }),
]);
type Line = Static<typeof LineSchema>;
const lineCheck = Compile(LineSchema);

export class FileSessionLog implements SessionBackend {
  private readonly live = new Map<string, StoredSession>();
  private fd: number | null = null;
  private lines = 0;
  /** Lines that could not be read at open (a torn last line after a crash). */
  skipped = 0;

  constructor(private readonly file: string) {}

  load(now: number): StoredSession[] {
    const text = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      const line = parse(raw);
      if (line === null) this.skipped += 1;
      else if ('put' in line) this.live.set(line.put.key, line.put);
      else for (const key of line.del) this.live.delete(key);
    }
    for (const [key, s] of this.live) if (s.expiresAt <= now) this.live.delete(key);
    this.compact();
    return [...this.live.values()];
  }

  put(session: StoredSession): Promise<void> {
    this.live.set(session.key, session);
    this.append({ put: session });
    return Promise.resolve();
  }

  remove(keys: readonly string[]): Promise<void> {
    const known = keys.filter((k) => this.live.delete(k));
    if (known.length > 0) this.append({ del: known });
    if (this.lines > 2 * this.live.size + 1_000) this.compact();
    return Promise.resolve();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  /** One line, on disk (fdatasync) before the caller answers; a few hundred bytes per login. */
  private append(line: Line): void {
    this.fd ??= openSync(this.file, 'a', 0o600);
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fdatasyncSync(this.fd);
    this.lines += 1;
  }

  /** The live sessions only, written beside and renamed over the log. */
  private compact(): void {
    this.close();
    writePrivate(this.file, [...this.live.values()].map((put) => `${JSON.stringify({ put })}\n`).join(''));
    this.lines = this.live.size;
  }
}

function parse(raw: string): Line | null {
  try {
    const value: unknown = JSON.parse(raw);
    return lineCheck.Check(value) ? value : null;
  } catch {
    return null;
  }
}
