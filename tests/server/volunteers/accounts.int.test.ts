/**
 * 志愿者招募 on the real server: registration, a town dispatcher's decision (only their town's),
 * the approved volunteer in the registry, the phone login with lockout and audit, and disabling.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountList } from '../../../shared/volunteer.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import {
  decideVolunteer,
  fieldOptions,
  loginVolunteer,
  readyVolunteer,
  registerVolunteer,
  testPhone,
  VOLUNTEER_PASSWORD,
} from '../../helpers/volunteer.js';

const PASSWORD = 'a test password for people';
let server: TestApp;
let admin: string;
let dispatcherI03: string;
let dispatcherI01: string;

const post = (path: string, body: unknown, cookie = '') =>
  server.fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
const get = (path: string, cookie: string) => server.fetch(`${server.url}${path}`, { headers: { cookie } });
const audit = () => readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8');

beforeAll(async () => {
  server = await startApp({
    users: [
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
      { username: 'd-i01', password: PASSWORD, role: 'dispatcher', scope: 'I01' },
    ],
  });
  admin = await server.login();
  dispatcherI03 = await server.login('d-i03', PASSWORD);
  dispatcherI01 = await server.login('d-i01', PASSWORD);
});
afterAll(async () => {
  await server.close();
});

describe('registration and approval', () => {
  it('keeps a registration pending until a dispatcher of its town approves it', async () => {
    const { id, body } = await registerVolunteer(server, { instituteId: 'I03' });
    expect(id).toMatch(/^VR\d{6}$/);
    const pending = await post('/api/v1/field/login', { phone: body.phone, password: VOLUNTEER_PASSWORD });
    expect(pending.status).toBe(403);
    expect(await pending.json()).toMatchObject({ code: 'VOLUNTEER_PENDING' });

    // The town's dispatcher sees it, with the full phone to call before deciding; another town's does not.
    const own = (await (await get('/api/v1/volunteer-accounts?status=pending', dispatcherI03)).json()) as AccountList;
    expect(own.accounts.find((a) => a.id === id)?.phone).toBe(body.phone);
    const other = (await (await get('/api/v1/volunteer-accounts', dispatcherI01)).json()) as AccountList;
    expect(other.accounts.some((a) => a.id === id)).toBe(false);
    expect(await decideVolunteer(server, dispatcherI01, id, 'approve')).toBe(403);
    expect(audit()).toContain(`volunteer:${id} (AUTH_FORBIDDEN)`);

    expect(await decideVolunteer(server, dispatcherI03, id, 'approve')).toBe(200);
    const listed = (await (await get('/api/v1/volunteer-accounts', dispatcherI03)).json()) as AccountList;
    const approved = listed.accounts.find((a) => a.id === id);
    expect(approved?.status).toBe('approved');
    expect(approved?.phone).not.toBe(body.phone);
    expect(approved?.phone).toMatch(/\*/);

    // In the registry: the console reads it like any volunteer (masked name, the station's team).
    const { cookie, principal } = await loginVolunteer(server, body.phone);
    expect(principal).toMatchObject({ id, role: 'volunteer', scope: 'I03', name: '王*梅' });
    const timeline = await get(`/api/v1/volunteers/${id}/timeline`, dispatcherI03);
    expect(await timeline.json()).toMatchObject({
      volunteer: { id, name: '王*梅', instituteId: 'I03', stationId: body.stationId, skills: ['elderly'] },
    });
    expect((await get('/api/auth/me', cookie)).status).toBe(200);
    const me = (await (await get('/api/v1/field/me', cookie)).json()) as { id: string; name: string; phone: string };
    expect([me.id, me.name, me.phone.includes('*')]).toEqual([id, '王小梅', true]);
  });

  it('refuses a rejection without a reason, keeps the reason given, and lets the phone register again', async () => {
    const { id, body } = await registerVolunteer(server, { instituteId: 'I03' });
    expect(await decideVolunteer(server, dispatcherI03, id, 'reject')).toBe(400);
    expect(await decideVolunteer(server, dispatcherI03, id, 'reject', '所选站点已满员')).toBe(200);
    const rejected = await post('/api/v1/field/login', { phone: body.phone, password: VOLUNTEER_PASSWORD });
    expect(await rejected.json()).toMatchObject({ code: 'VOLUNTEER_REJECTED' });
    const listed = (await (await get('/api/v1/volunteer-accounts', dispatcherI03)).json()) as AccountList;
    expect(listed.accounts.find((a) => a.id === id)?.reason).toBe('所选站点已满员');
    expect(await decideVolunteer(server, dispatcherI03, id, 'approve')).toBe(409);
    const again = await registerVolunteer(server, { instituteId: 'I03', phone: body.phone });
    expect(again.id).not.toBe(id);
  });

  it('refuses a second account for a phone and a station outside the town', async () => {
    const { body } = await registerVolunteer(server);
    const twice = await post('/api/v1/field/register', body);
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'VOLUNTEER_PHONE_TAKEN' });
    const towns = (await fieldOptions(server)).towns;
    const [a, b] = towns;
    const wrong = await post('/api/v1/field/register', {
      ...body,
      phone: testPhone(),
      instituteId: a?.id,
      stationId: b?.stations[0]?.id,
    });
    expect(await wrong.json()).toMatchObject({ code: 'VOLUNTEER_BAD_PLACE' });
  });
});

describe('the phone login', () => {
  it('locks a phone after 5 wrong passwords from one address, audited with the phone masked', async () => {
    const v = await readyVolunteer(server, admin);
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await post('/api/v1/field/login', { phone: v.phone, password: `wrong ${i}` });
      codes.push(((await response.json()) as { code: string }).code);
    }
    expect(codes).toEqual([...Array<string>(5).fill('AUTH_INVALID_CREDENTIALS'), 'AUTH_LOCKED_OUT']);
    const right = await post('/api/v1/field/login', { phone: v.phone, password: v.password });
    expect(right.status).toBe(429);
    expect(audit()).toContain(`"auth.locked_out"`);
    expect(audit()).not.toContain(v.phone);
  });

  it('answers an unknown phone as a wrong password', async () => {
    const response = await post('/api/v1/field/login', { phone: testPhone(), password: 'whatever it is' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' });
  });

  it('logs in by an SMS code that the log provider writes to the log, once, and only for an approved phone', async () => {
    const v = await readyVolunteer(server, admin);
    const stranger = testPhone();
    for (const phone of [v.phone, stranger]) expect((await post('/api/v1/field/sms', { phone })).status).toBe(204);
    const lines = server.logs.filter((l) => l.includes('验证码'));
    expect(lines).toHaveLength(1);
    const code = /验证码是 (\d{6})/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(lines[0]).toContain('SMS (log provider, not sent)');
    expect(lines[0]).not.toContain(v.phone);
    const wrong = await post('/api/v1/field/sms/login', {
      phone: v.phone,
      code: code === '000000' ? '000001' : '000000',
    });
    expect(wrong.status).toBe(401);
    const right = await post('/api/v1/field/sms/login', { phone: v.phone, code });
    expect(right.status).toBe(200);
    expect(await right.json()).toMatchObject({ id: v.id, role: 'volunteer' });
    const reused = await post('/api/v1/field/sms/login', { phone: v.phone, code });
    expect(reused.status).toBe(401);
  });

  it('ends the sessions of a disabled account, and logs it in again once enabled', async () => {
    const v = await readyVolunteer(server, admin, { instituteId: 'I03' });
    expect((await get('/api/v1/field/me', v.cookie)).status).toBe(200);
    expect(await decideVolunteer(server, dispatcherI01, v.id, 'disable')).toBe(403);
    expect(await decideVolunteer(server, dispatcherI03, v.id, 'disable')).toBe(200);
    expect((await get('/api/v1/field/me', v.cookie)).status).toBe(401);
    const disabled = await post('/api/v1/field/login', { phone: v.phone, password: v.password });
    expect(await disabled.json()).toMatchObject({ code: 'AUTH_ACCOUNT_DISABLED' });
    expect(await decideVolunteer(server, dispatcherI03, v.id, 'enable')).toBe(200);
    expect((await loginVolunteer(server, v.phone)).principal.id).toBe(v.id);
  });
});
