/**
 * 活动报名 and 签到 on the app in-process (real chdb), as volunteers' phones call it: publish → sign
 * up → full → withdraw; a scan refused when not signed up and outside the activity's time; check-ins
 * near and far recorded on the event; the check-out credits the hours; a scan sent again (the phone's
 * offline queue) and again after a restart is one event in the store; nobody signs up anybody else.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityView, MyActivities, MyActivity, ScanBody, ScanResult } from '../../../shared/activity-api.js';
import { FIELD_NAMESPACE, type ActivityPush } from '../../../shared/field.js';
import type { NetworkNode } from '../../../shared/network.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, socketFor, type Credential } from '../../helpers/auth.js';
import { networkNodes } from '../../helpers/dispatch.js';
import { eventually } from '../../helpers/server.js';
import { loginVolunteer, readyVolunteer, type TestVolunteer } from '../../helpers/volunteer.js';

const MIN = 60_000;
let server: TestApp;
let admin: Credential;
let nodes: NetworkNode[];
let v: TestVolunteer[];
let here: NetworkNode;
let now: ActivityView;

const call = (method: string, path: string, credential: Credential, body?: unknown) =>
  server.fetch(`${server.url}${path}`, {
    method,
    headers: { ...headersFor(credential), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const json = async <T>(response: Response, status = 200): Promise<T> => {
  const body = (await response.json()) as T;
  expect(response.status, JSON.stringify(body)).toBe(status);
  return body;
};
const codeOf = async (response: Response) => ((await response.json()) as { code: string }).code;
const publish = async (nodeId: string, startsAt: number, endsAt: number, capacity = 2): Promise<ActivityView> =>
  json(
    await call('POST', '/api/v1/activities', admin, {
      title: '邻里守望·义诊',
      category: 'health',
      nodeId,
      startsAt,
      endsAt,
      capacity,
      brandId: '',
    }),
  );
const signup = (who: TestVolunteer, id: string, body?: unknown) =>
  call('POST', `/api/v1/field/activities/${id}/signup`, who.credential, body);
const scan = (who: TestVolunteer, body: Partial<ScanBody>) =>
  call('POST', '/api/v1/field/scans', who.credential, {
    id: randomUUID(),
    nodeId: here.id,
    action: 'checkin',
    at: Date.now(),
    position: null,
    ...body,
  });
const storedTimes = async (id: string): Promise<number> => {
  const [row] = await server.app.store.query<{ n: number }>('SELECT count() AS n FROM events WHERE id = {id:UUID}', {
    id,
  });
  return row?.n ?? 0;
};

beforeAll(async () => {
  server = await startApp({ env: { DISPATCH_AUTO_ESCALATE: '0' } });
  const cookie = await server.login();
  admin = { cookie };
  nodes = await networkNodes(server, admin);
  const first = await readyVolunteer(server, cookie, { name: '陈一' });
  const same = { instituteId: first.instituteId, stationId: first.stationId };
  v = [first];
  for (const name of ['周二', '吴三', '郑四']) v.push(await readyVolunteer(server, cookie, { ...same, name }));
  here = nodes.find((n) => n.id === first.stationId) as NetworkNode;
  now = await publish(here.id, Date.now() - 60 * MIN, Date.now() + 2 * 60 * MIN);
}, 180_000);
afterAll(async () => {
  await server.close();
});

describe('活动报名', () => {
  it('lists my town’s activities with places left; signs up once however often tapped; refuses when full', async () => {
    const [a, b, c] = v as [TestVolunteer, TestVolunteer, TestVolunteer];
    const mine = (await json<MyActivities>(await call('GET', '/api/v1/field/activities', a.credential))).activities;
    expect(mine.find((x) => x.id === now.id)).toMatchObject({
      atMyStation: true,
      mine: 'none',
      signedUp: 0,
      capacity: 2,
    });
    expect((await json<MyActivity>(await signup(a, now.id))).mine).toBe('signed');
    expect(await json<MyActivity>(await signup(a, now.id))).toMatchObject({ mine: 'signed', signedUp: 1 });
    expect((await json<MyActivity>(await signup(b, now.id))).signedUp).toBe(2);
    const full = await signup(c, now.id);
    expect(full.status).toBe(409);
    expect(await codeOf(full)).toBe('ACTIVITY_FULL');
    expect(
      await json<MyActivity>(await call('POST', `/api/v1/field/activities/${now.id}/withdraw`, b.credential)),
    ).toMatchObject({ mine: 'none', signedUp: 1 });
    expect((await json<MyActivity>(await signup(c, now.id))).signedUp).toBe(2);
  });

  it('a volunteer cannot sign up another: the body names nobody, the caller is who signs up', async () => {
    const [, b, , d] = v as [TestVolunteer, TestVolunteer, TestVolunteer, TestVolunteer];
    const later = await publish(here.id, Date.now() + 5 * 60 * MIN, Date.now() + 6 * 60 * MIN, 5);
    expect((await json<MyActivity>(await signup(b, later.id, { volunteerId: d.id }))).mine).toBe('signed');
    const ds = (await json<MyActivities>(await call('GET', '/api/v1/field/activities', d.credential))).activities;
    expect(ds.find((x) => x.id === later.id)?.mine).toBe('none');
    expect((await call('POST', '/api/v1/activities', b.credential, {})).status).toBe(403);
    expect((await call('GET', '/api/v1/field/activities', admin)).status).toBe(403);
  });

  it('tells the phones of those signed up, and only theirs, when the organiser cancels', async () => {
    const [a, b] = v as [TestVolunteer, TestVolunteer];
    const soon = await publish(here.id, Date.now() + 7 * 60 * MIN, Date.now() + 8 * 60 * MIN, 5);
    expect((await json<MyActivity>(await signup(a, soon.id))).mine).toBe('signed');
    const heard = new Map<string, ActivityPush[]>();
    const phones = [a, b].map((who) => {
      const socket = socketFor(server.url, FIELD_NAMESPACE, who.credential);
      heard.set(who.id, []);
      socket.on('field:activity', (push: ActivityPush) => heard.get(who.id)?.push(push));
      return socket;
    });
    try {
      await Promise.all(phones.map((p) => new Promise((resolve) => p.once('field:snapshot', resolve))));
      await json<ActivityView>(await call('POST', `/api/v1/activities/${soon.id}/cancel`, admin));
      expect(await eventually(() => heard.get(a.id)?.[0])).toEqual({
        activityId: soon.id,
        title: soon.title,
        startsAt: soon.startsAt,
        status: 'cancelled',
      });
      expect(heard.get(a.id)).toHaveLength(1);
      // b never signed up: by the time a heard it, b (connected before the cancel) had not.
      expect(heard.get(b.id)).toEqual([]);
    } finally {
      for (const p of phones) p.close();
    }
  });
});

describe('签到 / 签退 by a node’s code', () => {
  it('refuses a scan without a sign-up here, and one outside the activity’s time', async () => {
    const [, b, , d] = v as [TestVolunteer, TestVolunteer, TestVolunteer, TestVolunteer];
    const notSigned = await scan(d, {});
    expect(notSigned.status).toBe(409);
    expect(await codeOf(notSigned)).toBe('ACTIVITY_NOT_SIGNED_UP');
    // b holds the later activity at this node only: not its time yet.
    const point = nodes.find((n) => n.level === 'point' && n.instituteId === here.instituteId) as NetworkNode;
    const evening = await publish(point.id, Date.now() + 5 * 60 * MIN, Date.now() + 6 * 60 * MIN);
    await json(await signup(b, evening.id));
    const early = await scan(b, { nodeId: point.id });
    expect(await codeOf(early)).toBe('ACTIVITY_OUTSIDE_WINDOW');
    expect(await codeOf(await scan(b, { nodeId: point.id, action: 'checkout' }))).toBe('ACTIVITY_NOT_CHECKED_IN');
  });

  it('records whether the phone was within 500 m, and credits check-out − check-in as hours', async () => {
    const [a, , c] = v as [TestVolunteer, TestVolunteer, TestVolunteer];
    const checkinAt = Date.now() - 50 * MIN;
    const near = await json<ScanResult>(await scan(a, { at: checkinAt, position: { lat: here.lat, lon: here.lon } }));
    expect(near).toMatchObject({ outcome: 'checkin', near: true, distanceM: 0, checkedIn: 1, capacity: 2 });
    const far = await json<ScanResult>(await scan(c, { position: { lat: here.lat + 0.02, lon: here.lon } }));
    expect(far).toMatchObject({ outcome: 'checkin', near: false, checkedIn: 2 });
    expect(far.distanceM).toBeGreaterThan(2_000);
    const tags = await eventually(async () => {
      const rows = await server.app.store.query<{ event: string; tag: string }>(
        'SELECT toString(id) AS event, tag FROM events WHERE id IN {ids:Array(UUID)}',
        { ids: [near.eventId, far.eventId] },
      );
      return rows.length === 2 ? new Map(rows.map((r) => [r.event, r.tag])) : undefined;
    });
    expect(tags.get(near.eventId)).toBe('near');
    expect(tags.get(far.eventId)).toBe('far');
    const out = await json<ScanResult>(await scan(a, { action: 'checkout', at: checkinAt + 50 * MIN }));
    expect(out).toMatchObject({ outcome: 'checkout', hours: 0.83 });
    const withdraw = await call('POST', `/api/v1/field/activities/${now.id}/withdraw`, c.credential);
    expect(await codeOf(withdraw)).toBe('ACTIVITY_ALREADY_CHECKED_IN');
  });

  it('shows sign-ups and check-ins against capacity on the wall’s feed, names masked', () => {
    const feed = server.app.hub.snapshot()?.feed ?? [];
    const checkin = feed.find((f) => f.type === 'checkin' && f.what.startsWith('邻里守望·义诊'));
    expect(checkin?.what).toMatch(/ [12]\/2$/);
    const signups = feed.filter((f) => f.type === 'activity.signup');
    expect(signups.length).toBeGreaterThan(0);
    expect(signups.every((f) => f.who.includes('*') && !f.who.includes('陈一'))).toBe(true);
  });

  it('stores a scan sent twice, and again after a restart, once', async () => {
    const d = v[3] as TestVolunteer;
    const open = await publish(here.id, Date.now() - 30 * MIN, Date.now() + 60 * MIN, 5);
    await json(await signup(d, open.id));
    const body: ScanBody = {
      id: randomUUID(),
      nodeId: here.id,
      action: 'checkin',
      at: Date.now() - 2 * MIN,
      position: null,
    };
    const first = await json<ScanResult>(await call('POST', '/api/v1/field/scans', d.credential, body));
    const again = await json<ScanResult>(await call('POST', '/api/v1/field/scans', d.credential, body));
    expect(again).toMatchObject({ outcome: 'already', eventId: first.eventId });
    await eventually(async () => ((await storedTimes(body.id)) > 0 ? true : undefined));
    await server.stop();
    server = await startApp({ dataDir: server.dataDir, env: { DISPATCH_AUTO_ESCALATE: '0' } });
    const relogged = { cookie: (await loginVolunteer(server, d.phone)).cookie };
    const afterRestart = await json<ScanResult>(await call('POST', '/api/v1/field/scans', relogged, body));
    expect(afterRestart).toMatchObject({ outcome: 'already', eventId: body.id });
    expect(await storedTimes(body.id)).toBe(1);
  });
});
