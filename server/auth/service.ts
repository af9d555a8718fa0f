/**
 * Who is calling, and logging in: resolves a request's or socket's credentials (a bearer token, a
 * session cookie, or nothing) to a principal, and checks passwords with lockout and an audit line.
 * No HTTP here: the Fastify plugin and the socket guard feed it what they read.
 */
import { DISTRICT, hasRole, PrincipalKind, Role, type Principal, type TokenInfo } from '../../shared/auth.js';
import { Errors } from '../errors.js';
import { AuditAction, type AuditLog } from './audit.js';
import type { LoginLockout } from './lockout.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { CredentialRef } from './rooms.js';
import type { TokenDirectory, UserDirectory } from './directories.js';
import { sessionKey, type SessionStore } from './sessions.js';
import type { User } from './users.js';

/** A resolved caller and the credential it holds (none for a public display), which can end. */
export interface Caller {
  principal: Principal;
  credential: CredentialRef | null;
}

export interface Credentials {
  /** From `Authorization: Bearer` or the socket handshake's `auth.token`. */
  token: string | null;
  /** The session id from a cookie whose signature checked out. */
  sessionId: string | null;
}

const PUBLIC: Caller = {
  principal: { kind: PrincipalKind.public, id: 'public', name: '公开展示', role: Role.wall, scope: DISTRICT },
  credential: null,
};

/**
 * The caller, if it holds one of `roles`; otherwise why not: 'unauthenticated' (401: nobody, a bad
 * token, or a public display asking for more than reading) or 'forbidden' (403: known, wrong role).
 */
export function admit(
  caller: Caller | 'invalid' | null,
  roles: readonly Role[],
): Caller | 'unauthenticated' | 'forbidden' {
  if (caller === null || caller === 'invalid') return 'unauthenticated';
  if (hasRole(caller.principal, roles)) return caller;
  return caller.principal.kind === PrincipalKind.public ? 'unauthenticated' : 'forbidden';
}

export interface AuthServiceOptions {
  users: UserDirectory;
  tokens: TokenDirectory;
  sessions: SessionStore;
  lockout: LoginLockout;
  audit: AuditLog;
  /** Anonymous callers read like a wall (PUBLIC_DISPLAY=1). */
  publicDisplay: boolean;
  /** Several nodes share the stores (REDIS_URL): requests read what they name with `prepare` first. */
  shared?: boolean;
}

export class AuthService {
  /** Checked for unknown usernames so they take as long as a wrong password. */
  private readonly decoy = hashPassword('decoy password, never matched');
  private readonly endListeners = new Set<(credential: CredentialRef) => void>();
  /** Principals of sessions that are not the users file's (volunteers: server/volunteers/); null when gone. */
  private sessionPrincipal: ((sessionUser: string) => Principal | null) | null = null;
  /** Reads such a session's account when another node made it (several nodes). */
  private sessionUserLoad: ((sessionUser: string) => Promise<void>) | null = null;

  constructor(private readonly o: AuthServiceOptions) {
    // Logout, expiry and the end of an account's sessions all pass through the store.
    o.sessions.onEnded((id) => this.ended({ kind: 'session', id }));
    // A token revoked on another node (several nodes share them: token-redis.ts).
    o.tokens.onRevokedElsewhere?.((id) => this.ended({ kind: 'token', id }));
  }

  /** Whether accounts, tokens or sessions are shared with other nodes (then `prepare` reads them). */
  get shared(): boolean {
    return this.o.shared ?? false;
  }

  /**
   * Brings into this node's memory what the credentials name, when another node made it (a session,
   * a token, the session's account); nothing on one node. `resolve` answers from memory after it.
   */
  async prepare(credentials: Credentials): Promise<void> {
    if (credentials.token !== null) {
      await this.o.tokens.load?.(credentials.token);
      return;
    }
    if (credentials.sessionId === null) return;
    await this.o.sessions.load(credentials.sessionId);
    const session = this.o.sessions.get(credentials.sessionId);
    // Volunteers' sessions (`volunteer:…`) name no account of the users' store.
    if (session?.username.includes(':')) await this.sessionUserLoad?.(session.username);
    else if (session) await this.o.users.load?.(session.username);
  }

  /**
   * The one place a credential ends: `listener` hears of every revoked token and every session
   * that ends (logout, expiry, `endSessionsOf`), at the moment it ends. The auth plugin closes the
   * credential's sockets on every namespace from here.
   */
  onEnded(listener: (credential: CredentialRef) => void): void {
    this.endListeners.add(listener);
  }

  /** Whether a credential still holds (a socket's saved state may only be restored while it does). */
  isLive(credential: CredentialRef): boolean {
    if (credential.kind === 'session') return this.o.sessions.alive(credential.id);
    return this.o.tokens.isLive(credential.id);
  }

  /** `isLive`, after reading the credential into memory when another node made it (several nodes). */
  async checkLive(credential: CredentialRef): Promise<boolean> {
    if (credential.kind === 'session') await this.o.sessions.loadKey(credential.id);
    else await this.o.tokens.loadById?.(credential.id);
    return this.isLive(credential);
  }

  /** Revokes a saved token and ends its sockets (on every node); null when no saved token has this id. */
  async revokeToken(id: string): Promise<TokenInfo | null> {
    const revoked = await this.o.tokens.revoke(id);
    if (revoked) this.ended({ kind: 'token', id });
    return revoked;
  }

  /**
   * Ends every session of `username` but `keepSessionId` (the caller's own, when it changes its own
   * password) — a disabled account, a new password — with their sockets at once, and durably
   * before it resolves; answers how many ended.
   */
  async endSessionsOf(username: string, keepSessionId: string | null = null): Promise<number> {
    return (await this.o.sessions.destroyUser(username, keepSessionId)).length;
  }

  /**
   * Resolves sessions whose user is not in the users file: the volunteers' phone logins
   * (`volunteer:<id>`, which no username can be: usernames hold no `:`). Answering null ends nothing
   * by itself; disabling an account also ends its sessions (`endSessionsOf`).
   */
  resolveSessionsWith(
    resolve: (sessionUser: string) => Principal | null,
    load: ((sessionUser: string) => Promise<void>) | null = null,
  ): void {
    this.sessionPrincipal = resolve;
    this.sessionUserLoad = load;
  }

  private ended(credential: CredentialRef): void {
    for (const listener of this.endListeners) listener(credential);
  }

  get tokens(): TokenDirectory {
    return this.o.tokens;
  }

  get users(): UserDirectory {
    return this.o.users;
  }

  get lockout(): LoginLockout {
    return this.o.lockout;
  }

  /**
   * A token given but unknown or revoked is refused outright ('invalid'), even where anonymous
   * reading is allowed: a wall with a revoked token must show that, not quietly carry on.
   */
  resolve(credentials: Credentials): Caller | 'invalid' | null {
    if (credentials.token !== null) {
      const token = this.o.tokens.verify(credentials.token);
      if (!token) return 'invalid';
      const principal = {
        kind: PrincipalKind.token,
        id: token.id,
        name: token.label,
        role: token.role,
        scope: token.scope,
      };
      return { principal, credential: { kind: 'token', id: token.id } };
    }
    const { sessionId } = credentials;
    const session = sessionId === null ? null : this.o.sessions.get(sessionId);
    const user = session ? this.o.users.get(session.username) : undefined;
    // A disabled account's sessions were ended when it was disabled; this holds if one was missed.
    if (user && !user.disabled && sessionId !== null) {
      return { principal: personOf(user), credential: { kind: 'session', id: sessionKey(sessionId) } };
    }
    const other = session && sessionId !== null ? this.sessionPrincipal?.(session.username) : null;
    if (other) return { principal: other, credential: { kind: 'session', id: sessionKey(sessionId ?? '') } };
    return this.o.publicDisplay ? PUBLIC : null;
  }

  /**
   * Checks the password; answers the same for an unknown user and a wrong password.
   */
  async login(username: string, password: string, ip: string): Promise<{ sessionId: string; principal: Principal }> {
    return this.loginWith(username, ip, async () => {
      // Another node may have made or changed the account (several nodes).
      await this.o.users.load?.(username);
      const user = this.o.users.get(username);
      const valid = await verifyPassword(user?.passwordHash ?? (await this.decoy), password);
      if (!user || !valid) return null;
      return {
        sessionUser: user.username,
        principal: personOf(user),
        refusal: user.disabled ? new Errors.ACCOUNT_DISABLED() : null,
      };
    });
  }

  /**
   * A login under the lockout and on the audit trail, whatever is checked (a password, an SMS
   * code): `check` answers who it is, or null for wrong credentials (it must take as long either
   * way). The attempt takes its place in the lockout before the slow check is awaited: attempts
   * sent at once cannot all slip in before the first failure is counted. `name` is what the
   * lockout and the trail call the caller (a username as typed, a masked phone).
   */
  async loginWith(
    name: string,
    ip: string,
    check: () => Promise<LoginCheck | null>,
  ): Promise<{ sessionId: string; principal: Principal }> {
    const key = lockoutKey(name, ip);
    const attempt = await this.o.lockout.reserve(key);
    if (attempt === null) {
      // Refused unchecked; the lockout itself was audited once, by the failure that began it.
      this.o.audit.record({ action: AuditAction.loginLocked, actor: name, result: 'refused', ip });
      throw new Errors.LOCKED_OUT(Math.max(1, Math.ceil((await this.o.lockout.lockedFor(key)) / 60_000)));
    }
    const who = await check();
    if (!who) {
      const locked = await this.o.lockout.fail(attempt);
      this.o.audit.record({
        action: locked ? AuditAction.lockedOut : AuditAction.loginFailed,
        actor: name,
        result: 'refused',
        ip,
      });
      throw new Errors.INVALID_CREDENTIALS();
    }
    await this.o.lockout.clear(key);
    // Said only to someone who knows the password: it tells them whom to ask, and nobody else anything.
    if (who.refusal) {
      this.o.audit.record({ action: AuditAction.login, actor: who.sessionUser, result: 'refused', ip });
      throw who.refusal;
    }
    this.o.audit.record({ action: AuditAction.login, actor: who.sessionUser, result: 'ok', ip });
    return { sessionId: await this.o.sessions.create(who.sessionUser), principal: who.principal };
  }

  async logout(sessionId: string, actor: string, ip: string): Promise<void> {
    await this.o.sessions.destroy(sessionId);
    this.o.audit.record({ action: AuditAction.logout, actor, result: 'ok', ip });
  }

  get audit(): AuditLog {
    return this.o.audit;
  }
}

/** Who a login's check found: the session's user, the principal, and a refusal for a right password (disabled, …). */
export interface LoginCheck {
  sessionUser: string;
  principal: Principal;
  refusal: Error | null;
}

/** Failed logins count per username as typed (any case) and address. */
export const lockoutKey = (username: string, ip: string): string => `${username.toLowerCase()}|${ip}`;
/** The username and address of a lockout key; usernames typed at login may hold `|`, addresses never. */
export function lockoutKeyParts(key: string): { username: string; ip: string } {
  const at = key.lastIndexOf('|');
  return { username: key.slice(0, at), ip: key.slice(at + 1) };
}

const personOf = (user: User): Principal => ({
  kind: PrincipalKind.user,
  id: user.username,
  name: user.name,
  role: user.role,
  scope: user.scope,
});
