/**
 * Organisers on the app in-process (real chdb): a town's dispatcher publishes at its own places and
 * is refused another town's (ACTIVITY_PLACE_OUT_OF_TOWN, nothing stored); the list shows sign-ups
 * and check-ins against capacity; the console's `/dispatch` socket is nudged when an activity of its
 * town changes; cancelling is seen by the volunteers signed up; a restart reads it all back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityList, ActivityPublish, ActivityView } from '../../../shared/activity-api.js';
import type { NetworkNode } from '../../../shared/network.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, socketFor, type Credential } from '../../helpers/auth.js';
import { networkNodes } from '../../helpers/dispatch.js';
import { nodePage } from '../../helpers/citizen.js';
import { codeSegment } from '../../../shared/node-link.js';
import type { PublicNode } from '../../../shared/public.js';

const PASSWORD = 'a test password for activities';
let server: TestApp;
let admin: Credential;
let town3: Credential;
let town5: Credential;
let nodes: NetworkNode[];

const call = (method: string, path: string, credential: Credential, body?: unknown) =>
  server.fetch(`${server.url}${path}`, {
    method,
    headers: { ...headersFor(credential), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const stationOf = (town: string): NetworkNode => {
  const node = nodes.find((n) => n.level === 'station' && n.instituteId === town);
  if (!node) throw new Error(`no station in ${town}`);
  return node;
};
const draft = (nodeId: string, over: Partial<ActivityPublish> = {}): ActivityPublish => ({
  title: '义诊送健康',
  category: 'health',
  nodeId,
  startsAt: Date.now() + 3_600_000,
  endsAt: Date.now() + 3 * 3_600_000,
  capacity: 2,
  brandId: '',
  ...over,
});
const list = async (credential: Credential): Promise<ActivityList> => {
  const response = await call('GET', '/api/v1/activities', credential);
  expect(response.status).toBe(200);
  return (await response.json()) as ActivityList;
};

beforeAll(async () => {
  server = await startApp({
    env: { DISPATCH_AUTO_ESCALATE: '0' },
    users: [
      { username: 'd-i03', password: PASSWORD, role: 'dispatcher', scope: 'I03' },
      { username: 'd-i05', password: PASSWORD, role: 'dispatcher', scope: 'I05' },
    ],
  });
  admin = { cookie: await server.login() };
  town3 = { cookie: await server.login('d-i03', PASSWORD) };
  town5 = { cookie: await server.login('d-i05', PASSWORD) };
  nodes = await networkNodes(server, admin);
}, 180_000);
afterAll(async () => {
  await server.close();
});

describe('organisers', () => {
  it('publish at a place of their own town, with a brand the articles name', async () => {
    const { brands } = await list(town3);
    expect(brands.length).toBeGreaterThan(0);
    const brand = brands[0]?.id ?? '';
    const response = await call('POST', '/api/v1/activities', town3, draft(stationOf('I03').id, { brandId: brand }));
    expect(response.status).toBe(200);
    const published = (await response.json()) as ActivityView;
    expect(published).toMatchObject({ instituteId: 'I03', status: 'published', brandId: brand, signedUp: 0 });
    expect(published.id).toMatch(/^PA-/);
    expect((await list(town3)).activities.map((a) => a.id)).toContain(published.id);
    expect((await list(town5)).activities.map((a) => a.id)).not.toContain(published.id);
    expect((await list(admin)).activities.map((a) => a.id)).toContain(published.id);
  });

  it('lists what a place has coming on its public page, with the places left, and not what has ended', async () => {
    const station = stationOf('I03');
    const soon = (await (
      await call('POST', '/api/v1/activities', town3, draft(station.id, { title: '周末读书会', capacity: 12 }))
    ).json()) as ActivityView;
    const page = await nodePage(server, codeSegment(station.code) ?? '');
    expect(page.status).toBe(200);
    const listed = (page.body as PublicNode).activities;
    expect(listed.find((a) => a.id === soon.id)).toMatchObject({ title: '周末读书会', placesLeft: 12 });
    // The town's page lists it too (it is held under the town); another town's does not.
    const town = nodes.find((n) => n.id === 'I03') as NetworkNode;
    const other = nodes.find((n) => n.id === 'I05') as NetworkNode;
    const onTown = (await nodePage(server, codeSegment(town.code) ?? '')).body as PublicNode;
    const onOther = (await nodePage(server, codeSegment(other.code) ?? '')).body as PublicNode;
    expect(onTown.activities.map((a) => a.id)).toContain(soon.id);
    expect(onOther.activities.map((a) => a.id)).not.toContain(soon.id);
  });

  it('a town dispatcher cannot publish in, or cancel an activity of, another town', async () => {
    const before = (await list(admin)).activities.length;
    const refused = await call('POST', '/api/v1/activities', town5, draft(stationOf('I03').id));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('ACTIVITY_PLACE_OUT_OF_TOWN');
    expect((await list(admin)).activities.length).toBe(before);
    const own = (await (
      await call('POST', '/api/v1/activities', town3, draft(stationOf('I03').id))
    ).json()) as ActivityView;
    const cancel = await call('POST', `/api/v1/activities/${own.id}/cancel`, town5);
    expect(cancel.status).toBe(403);
  });

  it('refuses an unknown brand, a place that is no station or point, and an end before the start', async () => {
    const station = stationOf('I03').id;
    const bad = [
      [draft(station, { brandId: 'B999' }), 'ACTIVITY_UNKNOWN_BRAND'],
      [draft('I03'), 'ACTIVITY_UNKNOWN_PLACE'],
      [draft(station, { endsAt: Date.now() + 1_000, startsAt: Date.now() + 3_600_000 }), 'ACTIVITY_INVALID'],
    ] as const;
    for (const [body, code] of bad) {
      const response = await call('POST', '/api/v1/activities', admin, body);
      expect(((await response.json()) as { code: string }).code).toBe(code);
    }
    const walls = await call('GET', '/api/v1/activities', { token: await server.wallToken() });
    expect(walls.status).toBe(403);
  });

  it('nudges the console of the town when an activity there changes, and cancels for those signed up', async () => {
    const socket = socketFor(server.url, '/dispatch', town3);
    const nudged: string[] = [];
    socket.on('dispatch:activity', (push: { activityId: string }) => nudged.push(push.activityId));
    await new Promise<void>((resolve) => socket.on('dispatch:snapshot', () => resolve()));
    const a = (await (
      await call('POST', '/api/v1/activities', town3, draft(stationOf('I03').id))
    ).json()) as ActivityView;
    await server.app.activities.signup({ id: 'V-test-1', name: '王小明' }, a.id);
    const response = await call('POST', `/api/v1/activities/${a.id}/cancel`, town3);
    expect(((await response.json()) as ActivityView).status).toBe('cancelled');
    for (;;) {
      if (nudged.filter((id) => id === a.id).length >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    socket.close();
    const refused = server.app.activities.signup({ id: 'V-test-2', name: '李四' }, a.id);
    await expect(refused).rejects.toMatchObject({ code: 'ACTIVITY_CANCELLED' });
  });

  it('reads activities and sign-ups back after a restart', async () => {
    const a = (await (
      await call('POST', '/api/v1/activities', town3, draft(stationOf('I03').id))
    ).json()) as ActivityView;
    await server.app.activities.signup({ id: 'V-test-9', name: '赵六' }, a.id);
    await server.stop();
    server = await startApp({ dataDir: server.dataDir, env: { DISPATCH_AUTO_ESCALATE: '0' } });
    admin = { cookie: await server.login() };
    const back = (await list(admin)).activities.find((x) => x.id === a.id);
    expect(back).toMatchObject({ signedUp: 1, capacity: 2, status: 'published' });
  });
});
