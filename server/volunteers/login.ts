/**
 * A volunteer's phone login, by password or by SMS code: the same lockout, audit trail and session
 * store as the console's logins (AuthService.loginWith), so logout, expiry and disabling end a
 * volunteer's sockets like anyone's. Sessions belong to `volunteer:<id>`; the lockout and the trail
 * name the caller by the masked phone (the trail is read by admins, who see no full phone numbers).
 */
import { PrincipalKind, Role, type Principal } from '../../shared/auth.js';
import { maskName, maskPhone } from '../../shared/mask.js';
import type { LoginCheck, AuthService } from '../auth/service.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { Errors } from '../errors.js';
import type { VolunteerAccounts } from './accounts.js';
import type { AccountRow } from '../store/volunteer-accounts-repository.js';
import type { LoginCodes, SmsProvider } from './sms.js';

const SESSION_PREFIX = 'volunteer:';
export const sessionUserOf = (volunteerId: string): string => `${SESSION_PREFIX}${volunteerId}`;

/**
 * A volunteer as a principal: their registry id, their town, and their name masked — it travels as
 * the actor of their orders' transitions, which walls and other dispatchers read.
 */
export const volunteerPrincipal = (row: AccountRow): Principal => ({
  kind: PrincipalKind.user,
  id: row.id,
  name: maskName(row.name),
  role: Role.volunteer,
  scope: row.instituteId,
});

/** The refusal a right password gets from an account that may not log in; null when it may. */
const refusalError = (row: AccountRow): Error | null => {
  switch (row.status) {
    case 'approved':
      return null;
    case 'pending':
      return new Errors.VOLUNTEER_PENDING();
    case 'rejected':
      return new Errors.VOLUNTEER_REJECTED();
    case 'disabled':
      return new Errors.ACCOUNT_DISABLED();
  }
};

export class VolunteerLogin {
  private readonly decoy = hashPassword('decoy volunteer password, never matched');

  constructor(
    private readonly auth: AuthService,
    private readonly accounts: VolunteerAccounts,
    private readonly codes: LoginCodes,
    private readonly sms: SmsProvider,
  ) {
    // Only an approved account's session stands for someone; the account is read on every call
    // (from the store first when this node does not hold it: another node registered it).
    const idOf = (sessionUser: string) =>
      sessionUser.startsWith(SESSION_PREFIX) ? sessionUser.slice(SESSION_PREFIX.length) : null;
    auth.resolveSessionsWith(
      (sessionUser) => {
        const id = idOf(sessionUser);
        const row = id === null ? undefined : accounts.get(id);
        return row?.status === 'approved' ? volunteerPrincipal(row) : null;
      },
      async (sessionUser) => {
        const id = idOf(sessionUser);
        if (id !== null) await accounts.find(id);
      },
    );
  }

  password(phone: string, password: string, ip: string): Promise<{ sessionId: string; principal: Principal }> {
    return this.auth.loginWith(maskPhone(phone), ip, async () => {
      const row = await this.accounts.findByPhone(phone, true);
      const valid = await verifyPassword(row?.passwordHash ?? (await this.decoy), password);
      return row && valid ? this.found(row) : null;
    });
  }

  /**
   * Sends a code when the phone belongs to an approved account; answers the same either way, so the
   * form cannot be used to find out who is registered (nor a second ask within a minute, which
   * sends nothing new). The code is issued for every phone before the account is looked up: with
   * several nodes that step is Redis's, and were it taken only for approved phones, Redis out of
   * reach would refuse those (503) and answer 204 for the rest — telling who is registered. The
   * code of a phone without an approved account is never sent and expires unused.
   */
  async requestCode(phone: string): Promise<void> {
    const code = await this.codes.issue(phone);
    const row = await this.accounts.findByPhone(phone, true);
    if (code === null || row?.status !== 'approved') return;
    await this.sms.send(phone, `【文明实践】您的登录验证码是 ${code}，5 分钟内有效。`);
  }

  code(phone: string, code: string, ip: string): Promise<{ sessionId: string; principal: Principal }> {
    return this.auth.loginWith(maskPhone(phone), ip, async () => {
      const row = await this.accounts.findByPhone(phone, true);
      return row && (await this.codes.check(phone, code)) ? this.found(row) : null;
    });
  }

  /** Ends every session (and socket) of the volunteer: a disabled account. */
  endSessions(volunteerId: string): Promise<number> {
    return this.auth.endSessionsOf(sessionUserOf(volunteerId));
  }

  private found(row: AccountRow): LoginCheck {
    return { sessionUser: sessionUserOf(row.id), principal: volunteerPrincipal(row), refusal: refusalError(row) };
  }
}
