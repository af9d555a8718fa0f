/**
 * Every way a credential ends reaches AuthService.onEnded, once, at the moment it ends: a revoked
 * token, a logout, an expired session (noticed on use or by its timer), all sessions of an account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../server/auth/audit.js';
import { Lockout } from '../../../server/auth/lockout.js';
import type { CredentialRef } from '../../../server/auth/rooms.js';
import { AuthService } from '../../../server/auth/service.js';
import { FileSessionLog } from '../../../server/auth/session-log.js';
import { sessionKey, SessionStore } from '../../../server/auth/sessions.js';
import { TokenStore } from '../../../server/auth/tokens.js';
import { UserStore } from '../../../server/auth/user-store.js';
import type { User } from '../../../server/auth/users.js';
import { DISPATCHER_PASSWORD, townDispatcher } from '../../helpers/users.js';

const PASSWORD = DISPATCHER_PASSWORD;
let users: User[] = [];
beforeAll(async () => {
  users = [await townDispatcher()];
});

const log = () => new FileSessionLog(join(mkdtempSync(join(tmpdir(), 'wmsj-sessions-')), 'sessions.jsonl'));

function service(sessions: SessionStore) {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-ending-'));
  const auth = new AuthService({
    users: new UserStore(join(dir, 'users.json'), users),
    tokens: TokenStore.open(join(dir, 'tokens.json'), []),
    sessions,
    lockout: new Lockout(3, 60_000),
    audit: new AuditLog(join(dir, 'audit.jsonl')),
    publicDisplay: false,
  });
  const ended: CredentialRef[] = [];
  auth.onEnded((credential) => ended.push(credential));
  return { auth, ended };
}

describe('ending a credential', () => {
  it('reports a revoked token and a logout once each, and neither is live afterwards', async () => {
    const { auth, ended } = service(new SessionStore(60_000, log()));
    const { info } = await auth.tokens.create({ role: 'wall', label: 'wall' }, 'admin');
    const { sessionId } = await auth.login('d3', PASSWORD, 'ip');
    const session: CredentialRef = { kind: 'session', id: sessionKey(sessionId) };
    expect(auth.isLive({ kind: 'token', id: info.id }) && auth.isLive(session)).toBe(true);
    await auth.revokeToken(info.id);
    await auth.logout(sessionId, 'd3', 'ip');
    await auth.logout(sessionId, 'd3', 'ip');
    expect(ended).toEqual([{ kind: 'token', id: info.id }, session]);
    expect(auth.isLive({ kind: 'token', id: info.id }) || auth.isLive(session)).toBe(false);
  });

  it('ends an expired session when it is next used, and every session of an account at once', async () => {
    let now = 1_000_000;
    const { auth, ended } = service(new SessionStore(60_000, log(), () => now));
    const first = await auth.login('d3', PASSWORD, 'ip');
    const second = await auth.login('d3', PASSWORD, 'ip');
    now += 60_000;
    expect(auth.resolve({ token: null, sessionId: first.sessionId })).toBeNull();
    expect(ended).toEqual([{ kind: 'session', id: sessionKey(first.sessionId) }]);
    now -= 30_000;
    const third = await auth.login('d3', PASSWORD, 'ip');
    expect(await auth.endSessionsOf('D3')).toBe(2);
    expect(ended.map((c) => c.id)).toEqual([first, second, third].map((s) => sessionKey(s.sessionId)));
  });

  it('ends a session by its timer, unused', async () => {
    const { auth, ended } = service(new SessionStore(20, log()));
    const { sessionId } = await auth.login('d3', PASSWORD, 'ip');
    for (let i = 0; i < 200 && ended.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ended).toEqual([{ kind: 'session', id: sessionKey(sessionId) }]);
  });
});
