import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../server/auth/audit.js';
import { Lockout } from '../../../server/auth/lockout.js';
import { admit, AuthService } from '../../../server/auth/service.js';
import { FileSessionLog } from '../../../server/auth/session-log.js';
import { SessionStore } from '../../../server/auth/sessions.js';
import { TokenStore } from '../../../server/auth/tokens.js';
import { UserStore } from '../../../server/auth/user-store.js';
import type { User } from '../../../server/auth/users.js';
import { DISPATCHER_PASSWORD, townDispatcher } from '../../helpers/users.js';
import { INGEST_ROLES, READ_ROLES } from '../../../shared/auth.js';

const PASSWORD = DISPATCHER_PASSWORD;
let users: User[] = [];
beforeAll(async () => {
  users = [await townDispatcher()];
});

function service(publicDisplay = false) {
  const dir = mkdtempSync(join(tmpdir(), 'wmsj-auth-'));
  const tokens = TokenStore.open(join(dir, 'tokens.json'), [{ secret: 'device-secret', source: 'INGEST_TOKENS' }]);
  const audit = join(dir, 'audit.jsonl');
  const auth = new AuthService({
    users: new UserStore(join(dir, 'users.json'), users),
    tokens,
    sessions: new SessionStore(60_000, new FileSessionLog(join(dir, 'sessions.jsonl'))),
    lockout: new Lockout(3, 60_000),
    audit: new AuditLog(audit),
    publicDisplay,
  });
  const auditLines = () =>
    readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; actor: string; result: string });
  return { auth, tokens, auditLines };
}

const refusal = async (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: string; message: string },
  );

describe('AuthService.login', () => {
  it('opens a session that resolves to the person, scope included', async () => {
    const { auth } = service();
    const { sessionId, principal } = await auth.login('D3', PASSWORD, '10.0.0.1');
    expect(principal).toEqual({ kind: 'user', id: 'd3', name: '调度三', role: 'dispatcher', scope: 'I03' });
    expect(auth.resolve({ token: null, sessionId })).toMatchObject({ principal });
    await auth.logout(sessionId, 'd3', '10.0.0.1');
    expect(auth.resolve({ token: null, sessionId })).toBeNull();
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const { auth } = service();
    const unknown = await refusal(auth.login('nobody', PASSWORD, 'ip'));
    const wrong = await refusal(auth.login('d3', 'wrong', 'ip'));
    expect(unknown).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    expect(wrong && { code: wrong.code, message: wrong.message }).toEqual(
      unknown && { code: unknown.code, message: unknown.message },
    );
  });

  it('locks the username from that address after repeated failures, the right password too, and audits it', async () => {
    const { auth, auditLines } = service();
    for (let i = 0; i < 3; i += 1) await refusal(auth.login('d3', 'wrong', 'ip-a'));
    expect(await refusal(auth.login('d3', PASSWORD, 'ip-a'))).toMatchObject({ code: 'AUTH_LOCKED_OUT' });
    expect((await auth.login('d3', PASSWORD, 'ip-b')).principal.id).toBe('d3');
    expect(auditLines().map((l) => `${l.action} ${l.result}`)).toEqual([
      'auth.login_failed refused',
      'auth.login_failed refused',
      'auth.locked_out refused',
      'auth.login_locked refused',
      'auth.login ok',
    ]);
  });
});

describe('AuthService.resolve', () => {
  it('resolves tokens to their role and refuses unknown or revoked ones outright', () => {
    const { auth, tokens } = service(true);
    const { token, info } = tokens.create({ role: 'wall', label: '主屏' }, 'admin');
    expect(auth.resolve({ token, sessionId: null })).toEqual({
      principal: { kind: 'token', id: info.id, name: '主屏', role: 'wall', scope: 'district' },
      credential: { kind: 'token', id: info.id },
    });
    expect(auth.resolve({ token: 'device-secret', sessionId: null })).toMatchObject({ principal: { role: 'device' } });
    tokens.revoke(info.id);
    // Even on a public display: a screen whose token was revoked must show it, not read on anonymously.
    expect(auth.resolve({ token, sessionId: null })).toBe('invalid');
  });

  it('is anonymous without credentials, a read-only public display only when switched on', () => {
    expect(service(false).auth.resolve({ token: null, sessionId: null })).toBeNull();
    expect(service(true).auth.resolve({ token: null, sessionId: 'made-up' })).toMatchObject({
      principal: { kind: 'public', role: 'wall' },
      credential: null,
    });
  });
});

describe('admit', () => {
  const { auth } = service(true);
  const device = auth.resolve({ token: 'device-secret', sessionId: null });
  const publicScreen = auth.resolve({ token: null, sessionId: null });

  it('answers 401 for nobody or a bad token, 403 for a known caller in the wrong role', () => {
    expect(admit(null, READ_ROLES)).toBe('unauthenticated');
    expect(admit('invalid', READ_ROLES)).toBe('unauthenticated');
    expect(admit(device, READ_ROLES)).toBe('forbidden');
    expect(admit(device, INGEST_ROLES)).toBe(device);
  });
  it('asks a public display to log in (401) for anything beyond reading', () => {
    expect(admit(publicScreen, READ_ROLES)).toBe(publicScreen);
    expect(admit(publicScreen, INGEST_ROLES)).toBe('unauthenticated');
  });
});
