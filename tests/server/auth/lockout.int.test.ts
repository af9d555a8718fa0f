/**
 * The lockout under a burst, on the real server: 49 wrong passwords for one account sent at once
 * and then the right one. Each attempt takes its place before the slow hash is checked, so only
 * 5 passwords are ever checked, the lockout is audited once, and the right password, sent once the
 * lock holds, is refused like the rest. The per-address login limit is raised here so that only
 * the lockout stands between the burst and the hash.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from '../../helpers/app.js';

const PASSWORD = 'the right password for the target';
const WRONG = 49;
let server: TestApp;

const login = async (password: string): Promise<{ status: number; code: string }> => {
  const response = await server.fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'target', password }),
  });
  const body = (await response.json()) as { code?: string };
  return { status: response.status, code: body.code ?? 'ok' };
};
/** The audit trail's actions for the target account, in order. */
const actions = (): string[] =>
  readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; actor: string })
    .filter((l) => l.actor === 'target')
    .map((l) => l.action);

beforeAll(async () => {
  server = await startApp({
    env: { LOGIN_ATTEMPTS_PER_MINUTE: '1000' },
    users: [{ username: 'target', password: PASSWORD, role: 'leader' }],
  });
});
afterAll(async () => {
  await server.close();
});

describe('the login lockout under 50 attempts at once', () => {
  it('checks 5 passwords, audits one lockout and refuses the right password once locked', async () => {
    let firstRefusal: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => (firstRefusal = resolve));
    const wrong = Array.from({ length: WRONG }, (_, i) =>
      login(`wrong guess ${i}`).then((answer) => {
        if (answer.code === 'AUTH_LOCKED_OUT') firstRefusal();
        return answer;
      }),
    );
    // The right password goes out while the guesses are in flight, as soon as one has met the lock
    // (or, should none meet it, once every guess has been answered).
    await Promise.race([locked, Promise.all(wrong)]);
    const right = await login(PASSWORD);
    const guesses = await Promise.all(wrong);

    const checked = actions().filter((a) => ['auth.login', 'auth.login_failed', 'auth.locked_out'].includes(a));
    expect(checked).toHaveLength(5);
    expect(actions().filter((a) => a === 'auth.locked_out')).toHaveLength(1);
    expect(actions().filter((a) => a === 'auth.login_locked')).toHaveLength(WRONG - 5 + 1);
    expect(guesses.filter((g) => g.status === 401)).toHaveLength(5);
    expect(guesses.filter((g) => g.status === 429 && g.code === 'AUTH_LOCKED_OUT')).toHaveLength(WRONG - 5);
    expect(right).toEqual({ status: 429, code: 'AUTH_LOCKED_OUT' });
  });
});
