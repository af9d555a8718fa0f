/**
 * The audit trail: one record per security-relevant act — logins, failed logins, lockouts,
 * logouts, account and token changes, emergency switches, and every ask for unmasked personal data
 * (PIPL: who saw whose phone, and who was refused). Dispatch commands have their own trail in
 * ClickHouse (dispatch_audit), written with the order's events.
 *
 * Each act is appended synchronously to DATA_DIR/audit.jsonl (owner-only), the node's own whole
 * record, and — with a store — journaled and written to ClickHouse's auth_audit in blocks
 * (store/journaled-writer.ts, as the dispatch audit is): one trail for every node, so an admin at
 * any node reads the acts of all of them, and an act recorded while ClickHouse is away is written
 * once it is back (the journal holds it, across a restart too; its id collapses a repeat). While
 * ClickHouse cannot be read, the admin reads this node's file instead, told it holds this node's
 * acts only.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { matchesAudit, type AuditFilter } from '../../shared/audit.js';
import type { AuditRecord } from '../../shared/auth.js';
import { insertAuthAudit, pageAuthAudit, type StoredAuditAct } from '../store/auth-audit-repository.js';
import { JournaledWriter } from '../store/journaled-writer.js';
import type { Transport } from '../store/transport.js';

export const AuditAction = {
  login: 'auth.login',
  loginFailed: 'auth.login_failed',
  /** The failure that locks a username from an address (once per lockout). */
  lockedOut: 'auth.locked_out',
  /** A login refused unchecked while its username and address are locked out. */
  loginLocked: 'auth.login_locked',
  logout: 'auth.logout',
  userCreated: 'user.created',
  userPasswordReset: 'user.password_reset',
  userDisabled: 'user.disabled',
  userEnabled: 'user.enabled',
  /** An admin cleared a username's failed logins (subject: the username). */
  lockoutCleared: 'lockout.cleared',
  tokenCreated: 'token.created',
  tokenRevoked: 'token.revoked',
  emergencyOn: 'emergency.on',
  emergencyOff: 'emergency.off',
  /** A full name and phone shown to a dispatcher (subject `volunteer:V…` or `appeal:A…`). */
  personalView: 'personal.view',
  /** A public page's request refused (subject: the route and the code; never a token). */
  publicRefused: 'public.refused',
  /** 志愿者招募: a registration sent (actor: the new id), decided, an account disabled or enabled (subject `volunteer:VR…`). */
  volunteerRegistered: 'volunteer.registered',
  volunteerApproved: 'volunteer.approved',
  volunteerRejected: 'volunteer.rejected',
  volunteerDisabled: 'volunteer.disabled',
  volunteerEnabled: 'volunteer.enabled',
  /** A panel's table exported as CSV or Excel (subject: `<query>@<scope>.<format>`). */
  dataExported: 'data.exported',
  /** A backup made (subject: its directory name) or refused. */
  backup: 'backup.created',
  /** Meeting control (subject: the group): a tablet took a group of walls, or was refused (a wall, a dispatcher). */
  meetingTake: 'meeting.take',
  /** A second controller took a held group over after confirming (subject: `<group> from <previous holder>`). */
  meetingTakeover: 'meeting.takeover',
  meetingRelease: 'meeting.release',
  /** The holder's tablet stayed away past the grace: the walls went back to their playlists. */
  meetingTimeout: 'meeting.timeout',
  /** A wall token put in a screen group or taken out (subject: `<token id> → <group>`). */
  screenGroup: 'screen.group',
  /** A new evaluation weights version saved (subject: `v<n>`), or refused (stale, not adding up). */
  weightsSaved: 'evaluation.weights',
  /** An evaluation report generated (subject: its id; actor `scheduler` for the automatic ones) or refused. */
  reportGenerated: 'report.generated',
  /** A report's PDF downloaded (subject: its id), or the reports refused to a role without them. */
  reportDownloaded: 'report.downloaded',
  reportRefused: 'report.refused',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export interface AuditEntry {
  action: AuditAction;
  /** Who acted: a username, a token id, or the username tried in a failed login. */
  actor: string;
  result: 'ok' | 'refused';
  ip?: string;
  /** What was acted on, e.g. the token id created or revoked. */
  subject?: string;
}

/** Where the trail is shared: the store, and this node's name and directory for its journal. */
export interface AuditStore {
  store: Transport;
  dir: string;
  node: string;
  log: Logger;
  /** How soon an act reaches the other nodes' readers (and how many acts one insert carries). */
  intervalMs?: number;
}

/** One page of the trail, newest first, and where it was read. */
export interface AuditLogPage {
  entries: AuditRecord[];
  more: boolean;
  /** Read from this node's file: its own acts only (no store, or the store could not be read). */
  nodeOnly: boolean;
}

/** The shared trail's parts, all there or none (one check narrows them together). */
interface SharedTrail {
  writer: JournaledWriter<StoredAuditAct>;
  store: Transport;
  node: string;
  log: Logger;
}

export class AuditLog {
  private readonly shared: SharedTrail | null;
  /** This run's prefix of the acts' ids: the node's name and a boot id, then a counter. */
  private readonly idPrefix: string;
  private n = 0;

  constructor(
    private readonly file: string,
    to: AuditStore | null = null,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    this.idPrefix = `${to?.node ?? 'node'}:${randomUUID().slice(0, 8)}`;
    this.shared = to && {
      writer: new JournaledWriter<StoredAuditAct>({
        dir: to.dir,
        name: 'auth-audit',
        insert: (rows, token) => insertAuthAudit(to.store, rows, token),
        token: (rows, replay) => `auth-audit-${replay ? 'replay-' : ''}${rows[0]?.id ?? ''}-${rows.length}`,
        log: to.log,
        intervalMs: to.intervalMs ?? 1_000,
        // A reader waits for this node's flush: a store that is away is told at once, the block kept.
        attempts: 3,
      }),
      store: to.store,
      node: to.node,
      log: to.log,
    };
  }

  /** Writes what a previous run journaled but ClickHouse may not have, then writes on the interval. */
  async start(): Promise<void> {
    await this.shared?.writer.start();
  }

  async close(): Promise<void> {
    await this.shared?.writer.close();
  }

  /**
   * Appended synchronously: a line is a few hundred bytes, the acts are rare (logins are rate
   * limited), and the record must be on disk, in order, before the answer goes out.
   */
  record(entry: AuditEntry, now = Date.now()): void {
    this.n += 1;
    const id = `${this.idPrefix}:${String(this.n).padStart(10, '0')}`;
    const act = { ts: new Date(now).toISOString(), ...entry, id };
    appendFileSync(this.file, `${JSON.stringify(act)}\n`, { mode: 0o600 });
    if (this.shared) this.shared.writer.append({ ...act, node: this.shared.node });
  }

  /**
   * One page of the records passing `filter`, newest first: `offset` skipped, up to `limit`, and
   * whether more match. With a store, every node's acts from ClickHouse (this node's written first);
   * on its own, or while ClickHouse cannot be read, this node's file: an admin still sees the acts
   * this node recorded (every one is in its file) rather than an error, told they are this node's.
   */
  async page(filter: AuditFilter, offset: number, limit: number): Promise<AuditLogPage> {
    if (this.shared) {
      // The flush never throws: a block it cannot write goes back in the queue.
      await this.shared.writer.flush();
      try {
        return { ...(await pageAuthAudit(this.shared.store, filter, offset, limit)), nodeOnly: false };
      } catch (error) {
        this.shared.log.warn({ err: error }, 'audit: the store was not read; answering this node’s file');
      }
    }
    return { ...this.filePage(filter, offset, limit), nodeOnly: true };
  }

  /**
   * The file's page. Reads only its last TAIL_BYTES: an admin looks at the recent trail here; the
   * whole file stays on disk for an inquiry.
   */
  private filePage(filter: AuditFilter, offset: number, limit: number): { entries: AuditRecord[]; more: boolean } {
    const out: AuditRecord[] = [];
    const lines = this.tail().split('\n');
    let skipped = 0;
    // One record past the page tells whether there is a next one.
    for (let i = lines.length - 1; i >= 0 && out.length <= limit; i -= 1) {
      const line = lines[i];
      if (!line) continue;
      const parsed = parse(line);
      if (!parsed || !matchesAudit(parsed, filter)) continue;
      if (skipped < offset) skipped += 1;
      else out.push(parsed);
    }
    return { entries: out.slice(0, limit), more: out.length > limit };
  }

  private tail(): string {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch {
      return '';
    }
    try {
      const size = fstatSync(fd).size;
      const start = Math.max(0, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      // A cut first line is dropped rather than misread.
      return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
    } finally {
      closeSync(fd);
    }
  }
}

const TAIL_BYTES = 4 * 1024 * 1024;

function parse(line: string): AuditRecord | null {
  try {
    const value = JSON.parse(line) as Partial<AuditRecord>;
    if (typeof value.ts !== 'string' || typeof value.action !== 'string' || typeof value.actor !== 'string')
      return null;
    return {
      ts: value.ts,
      action: value.action,
      actor: value.actor,
      result: value.result === 'ok' ? 'ok' : 'refused',
      ...(value.ip === undefined ? {} : { ip: value.ip }),
      ...(value.subject === undefined ? {} : { subject: value.subject }),
    };
  } catch {
    return null;
  }
}
