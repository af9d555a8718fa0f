/**
 * Unmasked personal data on the real server (PIPL): a volunteer's or a citizen's full name and phone
 * only for a dispatcher of their town (or the district, or an admin); walls, leaders and other towns
 * are refused; every ask, refused ones too, is on the audit trail an admin reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../../shared/auth.js';
import type { Contact, VolunteerTimeline } from '../../../shared/dispatch.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { networkNodes } from '../../helpers/dispatch.js';
import { appealReceived } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

const PASSWORD = 'a test password for contacts';
const VOLUNTEER = 'V000001';
let server: TestApp;
let admin: Credential;
/** The volunteer's town, and another one. */
let home = '';
let other = '';

const get = (path: string, credential: Credential) =>
  server.fetch(`${server.url}${path}`, { headers: headersFor(credential) });
const login = async (username: string): Promise<Credential> => ({ cookie: await server.login(username, PASSWORD) });

async function trail(subject: string): Promise<AuditRecord[]> {
  const response = await get('/api/v1/audit?action=personal.view&limit=1000', admin);
  expect(response.status).toBe(200);
  const { entries } = (await response.json()) as { entries: AuditRecord[] };
  return entries.filter((e) => e.subject === subject);
}

beforeAll(async () => {
  server = await startApp({ env: { DISPATCH_AUTO_ESCALATE: '0' } });
  admin = { cookie: await server.login() };
  const timeline = (await (await get(`/api/v1/volunteers/${VOLUNTEER}/timeline`, admin)).json()) as VolunteerTimeline;
  home = timeline.volunteer?.instituteId ?? '';
  const towns = (await networkNodes(server, admin)).filter((n) => n.level === 'institute').map((n) => n.id);
  other = towns.find((t) => t !== home) ?? '';
  expect(home).not.toBe('');
  expect(other).not.toBe('');
  await server.stop();
  server = await startApp({
    dataDir: server.dataDir,
    env: { DISPATCH_AUTO_ESCALATE: '0' },
    users: [
      { username: 'home', password: PASSWORD, role: 'dispatcher', scope: home },
      { username: 'other', password: PASSWORD, role: 'dispatcher', scope: other },
      { username: 'district', password: PASSWORD, role: 'dispatcher', scope: 'district' },
      { username: 'leader', password: PASSWORD, role: 'leader' },
      { username: 'greedy', password: PASSWORD, role: 'dispatcher', scope: 'district' },
    ],
  });
  admin = { cookie: await server.login() };
});
afterAll(async () => {
  await server.close();
});

describe("a volunteer's phone", () => {
  it("is shown in full to their town's dispatcher, never cached, and recorded", async () => {
    const response = await get(`/api/v1/volunteers/${VOLUNTEER}/contact`, await login('home'));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const contact = (await response.json()) as Contact;
    expect(contact.subject).toBe(`volunteer:${VOLUNTEER}`);
    expect(contact.phone).toMatch(/^1[0-9]{10}$/);
    expect(contact.name).not.toContain('*');
    const seen = await trail(`volunteer:${VOLUNTEER}`);
    expect(seen[0]).toMatchObject({ action: 'personal.view', actor: 'home', result: 'ok' });
  });

  it('is refused to another town, a leader, a wall and the anonymous, and each refusal is recorded', async () => {
    const wall = { token: await server.wallToken() };
    const asks: [string, Credential, number][] = [
      ['other', await login('other'), 403],
      ['leader', await login('leader'), 403],
      ['wall', wall, 403],
      ['anonymous', null, 401],
    ];
    for (const [who, credential, status] of asks) {
      const response = await get(`/api/v1/volunteers/${VOLUNTEER}/contact`, credential);
      expect(response.status, who).toBe(status);
      const body = (await response.json()) as { code: string; phone?: string };
      expect(body.phone, who).toBeUndefined();
      expect(body.code, who).toBe(status === 401 ? 'AUTH_UNAUTHENTICATED' : 'AUTH_FORBIDDEN');
    }
    const refused = (await trail(`volunteer:${VOLUNTEER}`)).filter((e) => e.result === 'refused').map((e) => e.actor);
    expect(refused).toEqual(expect.arrayContaining(['other', 'leader']));
    // The wall's ask is recorded under its token id (not its secret).
    expect(refused.some((actor) => actor !== 'other' && actor !== 'leader')).toBe(true);
    expect(JSON.stringify(refused)).not.toContain(wall.token);
  });

  it('cannot be harvested: a person asking for phone after phone is slowed down', async () => {
    const greedy = await login('greedy');
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1)
      statuses.push((await get(`/api/v1/volunteers/${VOLUNTEER}/contact`, greedy)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another dispatcher in the same room (same address) is not slowed by it.
    expect((await get(`/api/v1/volunteers/${VOLUNTEER}/contact`, await login('district'))).status).toBe(200);
  });
});

describe("a citizen's phone behind an appeal", () => {
  it("is shown to the appeal's town and the district, refused to another town; the trail is admin's only", async () => {
    const station = (await networkNodes(server, admin)).find((n) => n.level === 'station' && n.instituteId === home);
    const appeal = appealReceived({ appealId: 'AP-contact-1', nodeId: station?.id ?? '', citizenName: '王建国' });
    const sent = await server.fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify([appeal]),
    });
    expect(sent.status).toBe(200);
    const home_ = await login('home');
    // Answered once the write-ahead log has moved the appeal into ClickHouse.
    const contact = await eventually(async () => {
      const response = await get('/api/v1/appeals/AP-contact-1/contact', home_);
      return response.status === 200 ? ((await response.json()) as Contact) : undefined;
    });
    expect(contact).toEqual({ subject: 'appeal:AP-contact-1', name: '王建国', phone: '13812345678' });
    expect((await get('/api/v1/appeals/AP-contact-1/contact', await login('district'))).status).toBe(200);
    expect((await get('/api/v1/appeals/AP-contact-1/contact', await login('other'))).status).toBe(403);
    const missing = await get('/api/v1/appeals/AP-none/contact', home_);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('CONTACT_NOT_FOUND');

    const results = (await trail('appeal:AP-contact-1')).map((e) => `${e.actor}:${e.result}`);
    expect(results).toEqual(expect.arrayContaining(['home:ok', 'district:ok', 'other:refused']));
    expect((await get('/api/v1/audit', home_)).status).toBe(403);
  });
});
