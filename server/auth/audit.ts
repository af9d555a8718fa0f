/**
 * The audit trail: one JSON line per security-relevant act, appended to DATA_DIR/audit.jsonl
 * (owner-only): logins, failed logins, lockouts, logouts, account and token changes, emergency
 * switches, and every ask for unmasked personal data (PIPL: who saw whose phone, and who was
 * refused). Dispatch commands have their own trail in ClickHouse (dispatch_audit), written with the
 * order's events.
 */
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { matchesAudit, type AuditFilter } from '../../shared/audit.js';
import type { AuditRecord } from '../../shared/auth.js';

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

export class AuditLog {
  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
  }

  /**
   * Appended synchronously: a line is a few hundred bytes, the acts are rare (logins are rate
   * limited), and the record must be on disk, in order, before the answer goes out.
   */
  record(entry: AuditEntry, now = Date.now()): void {
    appendFileSync(this.file, `${JSON.stringify({ ts: new Date(now).toISOString(), ...entry })}\n`, { mode: 0o600 });
  }

  /**
   * One page of the records passing `filter`, newest first: `offset` skipped, up to `limit`, and
   * whether more match. Reads only the file's last TAIL_BYTES: an admin looks at the recent trail
   * here; the whole file stays on disk for an inquiry.
   */
  page(filter: AuditFilter, offset: number, limit: number): { entries: AuditRecord[]; more: boolean } {
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
