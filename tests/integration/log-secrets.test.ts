/**
 * No secret a caller sends reaches the server's log (issue 13, finding 5): with the log at debug,
 * a wall token in an old kiosk URL (`/?token=…`) and in a socket handshake, a device token as a
 * bearer header, passwords at login (right and wrong), and a session cookie — none appears in any
 * line, while the requests themselves are logged (redacted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE } from '../../shared/live.js';
import { handshake, headersFor } from '../helpers/auth.js';
import { checkin } from '../helpers/events.js';
import { startServer, TEST_ADMIN_PASSWORD, type RunningServer } from '../helpers/server.js';

const PASSWORD = 'a dispatcher password never to be logged';
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    env: { LOG_LEVEL: 'debug', LOG_FORMAT: 'json' },
    users: [{ username: 'd-log', password: PASSWORD, role: 'dispatcher', scope: 'district' }],
  });
});
afterAll(async () => {
  await server.stop();
});

describe('the log', () => {
  it('holds no token, password or session id the tests sent', async () => {
    const wall = (await server.createToken({ role: 'wall', label: 'kiosk' })).token;
    const device = (await server.createToken({ role: 'device', label: 'scanner' })).token;
    // The wall page itself (404 when the wall is not built: the request line is what counts).
    await fetch(`${server.url}/?token=${wall}&scope=I01`);
    expect((await fetch(`${server.url}/api/kpi?token=${wall}`, { headers: headersFor({ token: wall }) })).status).toBe(
      200,
    );
    expect(await handshake(server.url, LIVE_NAMESPACE, { token: wall })).toBe('connected');
    const posted = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headersFor({ token: device }), 'content-type': 'application/json' },
      body: JSON.stringify([checkin()]),
    });
    expect(posted.status).toBe(200);
    const wrong = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'd-log', password: `${PASSWORD} but wrong` }),
    });
    expect(wrong.status).toBe(401);
    const cookie = await server.login('d-log', PASSWORD);
    expect((await fetch(`${server.url}/api/auth/me`, { headers: headersFor({ cookie }) })).status).toBe(200);
    await server.stop();

    const log = server.logs.join('\n');
    // The requests are there, so the check below looks at a log that saw them.
    expect(log).toContain('"url":"/?token=[redacted]&scope=I01"');
    expect(log).toContain('"url":"/api/kpi?token=[redacted]"');
    const sessionId = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1)).split('.')[0] ?? '';
    const secrets = { wall, device, PASSWORD, TEST_ADMIN_PASSWORD, cookie, sessionId };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(8);
      expect({ name, logged: server.logs.filter((l) => l.includes(secret)) }).toEqual({ name, logged: [] });
    }
  });
});
