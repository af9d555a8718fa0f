/**
 * Roles over the wire, on the real server: every protected route and socket namespace answers
 * each kind of caller as README "Roles and access" says; login, lockout and logout.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canActOn, type Principal } from '../../../shared/auth.js';
import { DISPATCH_NAMESPACE } from '../../../shared/dispatch.js';
import { FIELD_NAMESPACE } from '../../../shared/field.js';
import { INGEST_NAMESPACE } from '../../../shared/ingest.js';
import { LIVE_NAMESPACE } from '../../../shared/live.js';
import { MEETING_NAMESPACE } from '../../../shared/meeting-schemas.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, headersFor, socketFor, type Credential } from '../../helpers/auth.js';
import { checkin } from '../../helpers/events.js';
import { readyVolunteer } from '../../helpers/volunteer.js';

const CALLERS = ['anonymous', 'wall', 'device', 'leader', 'dispatcher', 'admin', 'volunteer'] as const;
type Caller = (typeof CALLERS)[number];
type Expected = Record<Caller, number>;

// A volunteer (the phone app) reaches none of the wall's, console's or admin's routes.
const READ: Expected = {
  anonymous: 401,
  wall: 200,
  device: 403,
  leader: 200,
  dispatcher: 200,
  admin: 200,
  volunteer: 403,
};
const INGEST: Expected = {
  anonymous: 401,
  wall: 403,
  device: 200,
  leader: 403,
  dispatcher: 403,
  admin: 200,
  volunteer: 403,
};
const ADMIN_ONLY = (admin: number): Expected => ({
  anonymous: 401,
  wall: 403,
  device: 403,
  leader: 403,
  dispatcher: 403,
  admin,
  volunteer: 403,
});
const DISPATCH = (allowed: number): Expected => ({ ...ADMIN_ONLY(allowed), dispatcher: allowed });
const ROUTES: { method: string; path: string; body?: () => unknown; expected: Expected }[] = [
  { method: 'GET', path: '/api/network', expected: READ },
  { method: 'GET', path: '/api/kpi', expected: READ },
  { method: 'GET', path: '/api/client-config', expected: READ },
  { method: 'POST', path: '/api/v1/events', body: () => [checkin()], expected: INGEST },
  { method: 'GET', path: '/metrics', expected: { ...ADMIN_ONLY(200), device: 200 } },
  { method: 'GET', path: '/api/auth/tokens', expected: ADMIN_ONLY(200) },
  { method: 'POST', path: '/api/auth/tokens', body: () => ({ role: 'wall', label: 'x' }), expected: ADMIN_ONLY(201) },
  { method: 'DELETE', path: '/api/auth/tokens/t-000000000000', expected: ADMIN_ONLY(404) },
  { method: 'GET', path: '/api/auth/me', expected: { ...READ, device: 200, volunteer: 200 } },
  { method: 'GET', path: '/api/dashboards', expected: READ },
  { method: 'GET', path: '/api/v1/emergency', expected: READ },
  { method: 'POST', path: '/api/v1/emergency', body: () => ({ active: false }), expected: ADMIN_ONLY(200) },
  { method: 'GET', path: '/api/v1/orders', expected: DISPATCH(200) },
  { method: 'GET', path: '/api/v1/orders/ORD-none', expected: DISPATCH(404) },
  { method: 'GET', path: '/api/v1/orders/ORD-none/candidates', expected: DISPATCH(404) },
  // Unmasked personal data: a dispatcher gets past the role check to the lookup (no such appeal).
  { method: 'GET', path: '/api/v1/appeals/AP-none/contact', expected: DISPATCH(404) },
  { method: 'GET', path: '/api/v1/volunteers/V-none/contact', expected: DISPATCH(404) },
  // The team board: the dispatcher of I03 reads its own town; a team of it that does not exist is not found.
  { method: 'GET', path: '/api/v1/teams', expected: DISPATCH(200) },
  { method: 'GET', path: '/api/v1/teams/members?team=I03:S001:T99', expected: DISPATCH(404) },
  // Activities: organisers are the console's people; the phone's side is the volunteer's alone.
  { method: 'GET', path: '/api/v1/activities', expected: DISPATCH(200) },
  { method: 'POST', path: '/api/v1/activities/PA-none00/cancel', expected: DISPATCH(404) },
  { method: 'GET', path: '/api/v1/field/activities', expected: { ...ADMIN_ONLY(403), volunteer: 200 } },
  {
    method: 'POST',
    path: '/api/v1/field/activities/PA-none00/signup',
    expected: { ...ADMIN_ONLY(403), volunteer: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/orders/ORD-none/commands',
    body: () => ({ commandId: randomUUID(), orderId: 'ORD-none', expectedVersion: 1, type: 'start' }),
    expected: DISPATCH(404),
  },
  {
    method: 'POST',
    path: '/api/v1/orders',
    body: () => ({ commandId: randomUUID(), venueId: 'S-none', title: '测试' }),
    expected: DISPATCH(400),
  },
  // An unknown volunteer is in no town, so outside the (town-scoped) dispatcher's: refused, not an empty timeline.
  { method: 'GET', path: '/api/v1/volunteers/V-none/timeline', expected: ADMIN_ONLY(200) },
  { method: 'GET', path: '/api/dashboards/command-center', expected: READ },
  // Exports: the readers of the wall (a town's dispatcher gets its own town).
  { method: 'GET', path: '/api/v1/exports/kpi.compare.csv', expected: READ },
  { method: 'GET', path: '/api/v1/audit', expected: ADMIN_ONLY(200) },
  // 志愿者招募 and 派给志愿者 belong to the console; a volunteer's own profile to the volunteer only.
  { method: 'GET', path: '/api/v1/volunteer-accounts', expected: DISPATCH(200) },
  { method: 'GET', path: '/api/v1/volunteer-accounts/reachable?ids=V-none', expected: DISPATCH(200) },
  { method: 'POST', path: '/api/v1/volunteer-accounts/V-none/approve', body: () => ({}), expected: DISPATCH(404) },
  { method: 'GET', path: '/api/v1/orders/ORD-none/offers', expected: DISPATCH(404) },
  { method: 'GET', path: '/api/v1/field/me', expected: { ...ADMIN_ONLY(403), volunteer: 200 } },
  { method: 'GET', path: '/api/v1/admin/screens', expected: ADMIN_ONLY(200) },
  // Meeting control: leaders and admins drive the walls; the admin puts screens in groups.
  { method: 'GET', path: '/api/v1/meeting/groups', expected: { ...ADMIN_ONLY(200), leader: 200 } },
  { method: 'GET', path: '/api/v1/admin/screen-groups', expected: ADMIN_ONLY(200) },
  {
    method: 'PUT',
    path: '/api/v1/admin/screen-groups/t-000000000000',
    body: () => ({ group: '主屏' }),
    expected: ADMIN_ONLY(404),
  },
  { method: 'GET', path: '/api/v1/admin/dashboards', expected: ADMIN_ONLY(200) },
  // 一月一评估's reports: leaders and admins only (every other role refused and audited).
  { method: 'GET', path: '/api/v1/reports', expected: { ...ADMIN_ONLY(200), leader: 200 } },
  {
    method: 'GET',
    path: '/api/v1/reports/month-2026-11-01-district-1/pdf',
    expected: { ...ADMIN_ONLY(404), leader: 404 },
  },
  {
    method: 'POST',
    path: '/api/v1/reports',
    body: () => ({ period: 'month' }),
    expected: { ...ADMIN_ONLY(400), leader: 400 },
  },
  // 一月一评估's weights: leaders read them (a report names its version); only an admin saves one.
  { method: 'GET', path: '/api/v1/evaluation/weights', expected: { ...ADMIN_ONLY(200), leader: 200 } },
  {
    method: 'GET',
    path: '/api/v1/evaluation/figures?period=month&level=institute',
    expected: { ...ADMIN_ONLY(200), leader: 200 },
  },
  {
    method: 'POST',
    path: '/api/v1/evaluation/weights',
    body: () => ({ weights: {}, basedOn: 0 }),
    expected: ADMIN_ONLY(400),
  },
  { method: 'GET', path: '/api/v1/admin/users', expected: ADMIN_ONLY(200) },
  {
    method: 'POST',
    path: '/api/v1/admin/users',
    body: () => ({ username: `m-${randomUUID().slice(0, 8)}`, role: 'leader', password: 'a long enough password' }),
    expected: ADMIN_ONLY(201),
  },
  // Unknown accounts: an admin gets past the role check to the lookup.
  {
    method: 'POST',
    path: '/api/v1/admin/users/nobody/password',
    body: () => ({ password: 'a long enough password' }),
    expected: ADMIN_ONLY(404),
  },
  { method: 'POST', path: '/api/v1/admin/users/nobody/disable', expected: ADMIN_ONLY(404) },
  { method: 'POST', path: '/api/v1/admin/users/nobody/enable', expected: ADMIN_ONLY(404) },
  { method: 'GET', path: '/api/v1/admin/lockouts', expected: ADMIN_ONLY(200) },
  { method: 'DELETE', path: '/api/v1/admin/lockouts/nobody', expected: ADMIN_ONLY(200) },
  { method: 'POST', path: '/api/v1/admin/backup', expected: ADMIN_ONLY(201) },
];
const SOCKETS: { namespace: string; expected: Record<Caller, string> }[] = [
  {
    namespace: FIELD_NAMESPACE,
    expected: {
      anonymous: 'AUTH_UNAUTHENTICATED',
      wall: 'AUTH_FORBIDDEN',
      device: 'AUTH_FORBIDDEN',
      leader: 'AUTH_FORBIDDEN',
      dispatcher: 'AUTH_FORBIDDEN',
      admin: 'AUTH_FORBIDDEN',
      volunteer: 'connected',
    },
  },
  {
    namespace: LIVE_NAMESPACE,
    expected: {
      anonymous: 'AUTH_UNAUTHENTICATED',
      wall: 'connected',
      device: 'AUTH_FORBIDDEN',
      leader: 'connected',
      dispatcher: 'connected',
      admin: 'connected',
      volunteer: 'AUTH_FORBIDDEN',
    },
  },
  {
    namespace: DISPATCH_NAMESPACE,
    expected: {
      anonymous: 'AUTH_UNAUTHENTICATED',
      wall: 'AUTH_FORBIDDEN',
      device: 'AUTH_FORBIDDEN',
      leader: 'AUTH_FORBIDDEN',
      dispatcher: 'connected',
      admin: 'connected',
      volunteer: 'AUTH_FORBIDDEN',
    },
  },
  {
    namespace: MEETING_NAMESPACE,
    expected: {
      anonymous: 'AUTH_UNAUTHENTICATED',
      wall: 'AUTH_FORBIDDEN',
      device: 'AUTH_FORBIDDEN',
      leader: 'connected',
      dispatcher: 'AUTH_FORBIDDEN',
      admin: 'connected',
      volunteer: 'AUTH_FORBIDDEN',
    },
  },
  {
    namespace: INGEST_NAMESPACE,
    expected: {
      anonymous: 'AUTH_UNAUTHENTICATED',
      wall: 'AUTH_FORBIDDEN',
      device: 'connected',
      leader: 'AUTH_FORBIDDEN',
      dispatcher: 'AUTH_FORBIDDEN',
      admin: 'connected',
      volunteer: 'AUTH_FORBIDDEN',
    },
  },
];

const PASSWORD = 'a test password for people';
let server: TestApp;
let as: Record<Caller, Credential>;

const call = (method: string, path: string, credential: Credential, body?: unknown) =>
  server.fetch(`${server.url}${path}`, {
    method,
    headers: { ...headersFor(credential), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const login = (username: string, password: string) =>
  server.fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
const auditLines = () => readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8').trim().split('\n');

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'leader', password: PASSWORD, role: 'leader' },
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
      { username: 'locked', password: PASSWORD, role: 'leader' },
      { username: 'leaving', password: PASSWORD, role: 'leader' },
    ],
  });
  as = {
    anonymous: null,
    wall: { token: await server.wallToken() },
    device: { token: server.token },
    leader: { cookie: await server.login('leader', PASSWORD) },
    dispatcher: { cookie: await server.login('d-i03', PASSWORD) },
    admin: { cookie: await server.login() },
    volunteer: (await readyVolunteer(server, await server.login())).credential,
  };
});
afterAll(async () => {
  await server.close();
});

describe('access by role', () => {
  it('answers every protected route as documented for each caller, with stable codes', async () => {
    const wrong: string[] = [];
    for (const route of ROUTES) {
      for (const caller of CALLERS) {
        const response = await call(route.method, route.path, as[caller], route.body?.());
        const text = await response.text();
        const code = response.ok ? undefined : (JSON.parse(text) as { code?: string }).code;
        const want = route.expected[caller];
        const wantCode = { 401: 'AUTH_UNAUTHENTICATED', 403: 'AUTH_FORBIDDEN' }[want as 401 | 403] as
          string | undefined;
        if (response.status !== want || (wantCode && code !== wantCode)) {
          wrong.push(`${caller} ${route.method} ${route.path}: ${response.status} ${code ?? ''}, expected ${want}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('admits to each socket namespace only its roles', async () => {
    const wrong: string[] = [];
    for (const { namespace, expected } of SOCKETS) {
      for (const caller of CALLERS) {
        const outcome = await handshake(server.url, namespace, as[caller]);
        if (outcome !== expected[caller])
          wrong.push(`${caller} ${namespace}: ${outcome}, expected ${expected[caller]}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('tells anonymous health probes the status only, callers the causes and figures', async () => {
    expect(await (await call('GET', '/api/health', null)).json()).toEqual({ status: 'ok' });
    expect(await (await call('GET', '/api/health', as.wall)).json()).toMatchObject({ causes: [], ingest: {} });
  });

  it('refuses a bad token even beside a valid session, and a cookie whose signature was altered', async () => {
    const admin = as.admin as { cookie: string };
    const both = await server.fetch(`${server.url}/api/kpi`, {
      headers: { cookie: admin.cookie, authorization: 'Bearer nope' },
    });
    expect(both.status).toBe(401);
    const forged = `${admin.cookie.slice(0, -4)}AAAA`;
    expect((await call('GET', '/api/auth/me', { cookie: forged })).status).toBe(401);
  });

  it("keeps a town's dispatcher to its town", async () => {
    const me = (await (await call('GET', '/api/auth/me', as.dispatcher)).json()) as Principal;
    expect(me).toMatchObject({ kind: 'user', role: 'dispatcher', scope: 'I03' });
    expect(canActOn(me, 'I03')).toBe(true);
    expect(canActOn(me, 'I04')).toBe(false);
  });
});

describe('login', () => {
  it('sets an httpOnly, SameSite=Strict session cookie', async () => {
    const response = await login('leader', PASSWORD);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'user', id: 'leader', role: 'leader', scope: 'district' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^wmsj_session=[^;]+\.[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).not.toContain('Secure');
  });

  it('answers an unknown user exactly as a wrong password', async () => {
    const unknown = await login('nobody-here', PASSWORD);
    const wrong = await login('leader', 'not the password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
  });

  it('locks an account out after 5 failures, even for the right password, and audits it', async () => {
    for (let i = 0; i < 5; i += 1) {
      const response = await login('locked', `wrong ${i}`);
      expect(await response.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
    }
    const refused = await login('locked', PASSWORD);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ code: 'AUTH_LOCKED_OUT' });
    const mine = auditLines().filter((l) => l.includes('"actor":"locked"'));
    expect(mine.filter((l) => l.includes('auth.login_failed'))).toHaveLength(4);
    expect(mine.filter((l) => l.includes('auth.locked_out'))).toHaveLength(1);
    expect(mine.filter((l) => l.includes('auth.login_locked'))).toHaveLength(1);
    expect(auditLines().join('\n')).not.toContain(PASSWORD);
  });

  it('ends the session at logout: the old cookie and its sockets stop at once', async () => {
    const cookie = await server.login('leaving', PASSWORD);
    const socket = socketFor(server.url, LIVE_NAMESPACE, { cookie });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const out = await call('POST', '/api/auth/logout', { cookie });
    expect(out.status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    expect((await call('GET', '/api/auth/me', { cookie })).status).toBe(401);
    expect(await handshake(server.url, LIVE_NAMESPACE, { cookie })).toBe('AUTH_UNAUTHENTICATED');
    expect(auditLines().some((l) => l.includes('auth.logout') && l.includes('"actor":"leaving"'))).toBe(true);
  });
});
