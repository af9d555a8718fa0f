/**
 * The audit trail: one JSON line per security-relevant act, appended to DATA_DIR/audit.jsonl
 * (owner-only). Logins, failed logins, lockouts, logouts and token changes are recorded now; views
 * of unmasked personal data will record here too when the dispatch console shows them.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const AuditAction = {
  login: 'auth.login',
  loginFailed: 'auth.login_failed',
  lockedOut: 'auth.locked_out',
  logout: 'auth.logout',
  tokenCreated: 'token.created',
  tokenRevoked: 'token.revoked',
  emergencyOn: 'emergency.on',
  emergencyOff: 'emergency.off',
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
}
