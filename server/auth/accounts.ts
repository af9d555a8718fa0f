/**
 * What an admin does to people's accounts (the `/api/v1/admin` routes): list, create, reset a
 * password, disable and enable, see and clear lockouts. Every act is on the audit trail, refusals
 * included, before it is answered. No HTTP and no sockets here: an act that ends sessions ends them
 * through AuthService.endSessionsOf, which closes their sockets (AuthService.onEnded).
 */
import {
  accountProblem,
  type LockoutInfo,
  type UnlockResult,
  type UserCreateBody,
  type UserInfo,
} from '../../shared/admin.js';
import { DISTRICT, Role } from '../../shared/auth.js';
import type { RefusalCode } from '../../shared/codes.js';
import { Errors } from '../errors.js';
import { AuditAction } from './audit.js';
import { hashPassword } from './passwords.js';
import { lockoutKeyParts, type AuthService } from './service.js';
import type { User } from './users.js';

/** Who is acting, from where, and (for a change to their own password) the session they keep. */
export interface Actor {
  id: string;
  ip: string;
  sessionId: string | null;
}

export class Accounts {
  constructor(
    private readonly auth: AuthService,
    private readonly towns: ReadonlySet<string>,
  ) {}

  async list(now = Date.now()): Promise<UserInfo[]> {
    const until = await this.lockedUntil(now);
    return (await this.auth.users.list())
      .map((u) => infoOf(u, until.get(u.username.toLowerCase()) ?? null))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  async create(body: UserCreateBody, actor: Actor, now = Date.now()): Promise<UserInfo> {
    return this.audited(AuditAction.userCreated, body.username, actor, async () => {
      const problem = accountProblem(body, this.towns);
      if (problem !== null) throw new Errors.USER_INVALID(problem);
      if (await this.find(body.username)) throw new Errors.USER_EXISTS(body.username);
      const user: User = {
        username: body.username,
        name: body.name ?? body.username,
        role: body.role,
        scope: body.scope ?? DISTRICT,
        passwordHash: await hashPassword(body.password),
        disabled: false,
        createdAt: now,
      };
      // Checked again after the slow hash: another create of the same name may have landed meanwhile.
      if (!(await this.auth.users.add(user))) throw new Errors.USER_EXISTS(body.username);
      return infoOf(user, null);
    });
  }

  /** A new password ends the account's sessions (all but the caller's own, when it is theirs). */
  async resetPassword(username: string, password: string, actor: Actor): Promise<UserInfo> {
    return this.audited(AuditAction.userPasswordReset, username, actor, async () => {
      if (!(await this.find(username))) throw new Errors.USER_NOT_FOUND(username);
      const passwordHash = await hashPassword(password);
      const user = await this.auth.users.update(username, { passwordHash });
      if (!user) throw new Errors.USER_NOT_FOUND(username);
      const keep = user.username.toLowerCase() === actor.id.toLowerCase() ? actor.sessionId : null;
      await this.auth.endSessionsOf(user.username, keep);
      return this.info(user);
    });
  }

  /**
   * Disabling ends every session of the account at once. The last enabled admin is never disabled
   * (nobody could administer the center after it), and an admin never disables themself.
   */
  disable(username: string, actor: Actor): Promise<UserInfo> {
    return this.audited(AuditAction.userDisabled, username, actor, async () => {
      const target = await this.find(username);
      if (!target) throw new Errors.USER_NOT_FOUND(username);
      const enabledAdmins = (await this.auth.users.list()).filter((u) => u.role === Role.admin && !u.disabled);
      if (target.role === Role.admin && !target.disabled && enabledAdmins.length <= 1)
        throw new Errors.LAST_ADMIN(target.username);
      if (target.username.toLowerCase() === actor.id.toLowerCase()) throw new Errors.SELF_DISABLE();
      const user = (await this.auth.users.update(username, { disabled: true })) ?? target;
      await this.auth.endSessionsOf(user.username);
      return this.info(user);
    });
  }

  enable(username: string, actor: Actor): Promise<UserInfo> {
    return this.audited(AuditAction.userEnabled, username, actor, async () => {
      const user = await this.auth.users.update(username, { disabled: false });
      if (!user) throw new Errors.USER_NOT_FOUND(username);
      return this.info(user);
    });
  }

  /** Username-and-address pairs locked out now, the longest-lasting first. */
  async lockouts(now = Date.now()): Promise<LockoutInfo[]> {
    return (await this.auth.lockout.entries())
      .filter((e) => e.lockedForMs > 0)
      .map((e) => ({ ...lockoutKeyParts(e.key), failures: e.failures, until: now + e.lockedForMs }))
      .sort((a, b) => b.until - a.until);
  }

  /** Clears the username's failed logins from every address (locked or still counting). */
  unlock(username: string, actor: Actor): Promise<UnlockResult> {
    return this.audited(AuditAction.lockoutCleared, username, actor, async () => {
      const name = username.toLowerCase();
      const cleared = await this.auth.lockout.clearWhere((key) => lockoutKeyParts(key).username === name);
      return { username: name, cleared };
    });
  }

  /** The account as stored: another node may have made or changed it (several nodes). */
  private async find(username: string): Promise<User | undefined> {
    await this.auth.users.load?.(username);
    return this.auth.users.get(username);
  }

  private async info(user: User, now = Date.now()): Promise<UserInfo> {
    return infoOf(user, (await this.lockedUntil(now)).get(user.username.toLowerCase()) ?? null);
  }

  /** The latest lockout end per (lower-cased) username. */
  private async lockedUntil(now: number): Promise<Map<string, number>> {
    const until = new Map<string, number>();
    for (const l of await this.lockouts(now)) until.set(l.username, Math.max(until.get(l.username) ?? 0, l.until));
    return until;
  }

  /** Runs an act and records it: `ok`, or `refused` with the refusal's code, before the answer. */
  private async audited<T>(action: AuditAction, subject: string, actor: Actor, act: () => Promise<T>): Promise<T> {
    const record = (result: 'ok' | 'refused', code?: string) =>
      this.auth.audit.record({
        action,
        actor: actor.id,
        subject: code === undefined ? subject : `${subject} (${code})`,
        result,
        ip: actor.ip,
      });
    try {
      const value = await act();
      record('ok');
      return value;
    } catch (error) {
      record('refused', (error as { code?: string }).code ?? ('INTERNAL' satisfies RefusalCode));
      throw error;
    }
  }
}

const infoOf = (u: User, lockedOutUntil: number | null): UserInfo => ({
  username: u.username,
  name: u.name,
  role: u.role,
  scope: u.scope,
  disabled: u.disabled,
  lockedOutUntil,
  createdAt: u.createdAt,
});
