/**
 * The map's named queries on the real server and chdb: `nodes.status` follows ingested check-ins
 * and appeals (an old open appeal counts as overdue) and keeps to its scope; `coverage` answers the
 * 500 m share of sampled residents, and town scopes partition the district's sample.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../../shared/live.js';
import type { Network } from '../../../shared/network.js';
import type { QueryResults, QuerySubscribe, QueryUpdate } from '../../../shared/queries/index.js';
import type { NodeStatus } from '../../../shared/queries/nodes-status.js';
import type { Result } from '../../../shared/result.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { appealReceived, checkin } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;
let server: TestApp;
let socket: LiveSocket;
let network: Network;

const subscribe = (request: QuerySubscribe) =>
  new Promise<Result<QueryUpdate>>((resolve) => socket.emit('live:subscribe', request, resolve));

async function post(events: unknown[]): Promise<void> {
  const response = await server.fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  server = await startApp();
  const token = await server.wallToken();
  network = (await (
    await server.fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as Network;
  socket = io(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, auth: { token } });
  await new Promise<void>((resolve, reject) => {
    socket.once('live:snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
});
afterAll(async () => {
  socket.disconnect();
  await server.close();
});

describe('nodes.status', () => {
  it('counts a check-in, an open appeal and an overdue one at their node', async () => {
    const result = await subscribe({ query: 'nodes.status', params: { window: '24h' } });
    if (!result.ok) throw new Error(result.error.message);
    const before = (result.data.data as NodeStatus[]).find((s) => s.id === 'S003');
    const latest = new Map<string, NodeStatus[]>();
    socket.on('live:query', (u) => {
      if (u.key === result.data.key && u.data) latest.set(u.key, u.data as QueryResults['nodes.status']);
    });
    await post([
      checkin({ nodeId: 'S003', volunteerId: 'V-map-1' }),
      appealReceived({ nodeId: 'S003', appealId: 'AP-map-open' }),
      appealReceived({ nodeId: 'S003', appealId: 'AP-map-late', ts: Date.now() - 30 * 3_600_000 }),
    ]);
    const after = await eventually(() => {
      const s = latest.get(result.data.key)?.find((n) => n.id === 'S003');
      return s && s.openAppeals >= (before?.openAppeals ?? 0) + 2 ? s : undefined;
    });
    expect(after.active).toBeGreaterThanOrEqual((before?.active ?? 0) + 1);
    expect(after.checkins).toBeGreaterThanOrEqual((before?.checkins ?? 0) + 1);
    expect(after.overdue).toBeGreaterThanOrEqual((before?.overdue ?? 0) + 1);
  });

  it("counts appeals overdue by their category's limit, per category and at their node", async () => {
    // A point of its own, so nothing else lands in this scope.
    const point = network.nodes.filter((n) => n.level === 'point').at(-1)?.id ?? '';
    const HOUR = 3_600_000;
    const at = (hoursAgo: number) => Date.now() - hoursAgo * HOUR;
    const appeal = (appealId: string, category: 'consult' | 'complaint' | 'suggestion', hoursAgo: number) =>
      appealReceived({ nodeId: point, appealId, category, ts: at(hoursAgo) });
    await post([
      appeal('AP-due-1', 'consult', 30), // past a working day: overdue
      appeal('AP-due-2', 'consult', 30), // closed: not overdue
      { id: crypto.randomUUID(), type: 'appeal.closed', nodeId: point, ts: at(1), appealId: 'AP-due-2', actor: '窗口' },
      appeal('AP-due-3', 'complaint', 30), // within three days
      appeal('AP-due-4', 'complaint', 80), // past three days: overdue
      appeal('AP-due-5', 'suggestion', 80), // within five days
    ]);
    const categories = await eventually(async () => {
      const r = await subscribe({ query: 'appeals.categories', scope: point, params: { window: '30d' } });
      if (!r.ok) throw new Error(r.error.message);
      const rows = r.data.data as QueryResults['appeals.categories'];
      return rows.reduce((n, c) => n + c.received, 0) === 5 ? rows : undefined;
    }, 250);
    expect(categories).toEqual([
      { category: 'complaint', received: 2, closed: 0, overdue: 1 },
      { category: 'consult', received: 2, closed: 1, overdue: 1 },
      { category: 'suggestion', received: 1, closed: 0, overdue: 0 },
    ]);
    const status = await subscribe({ query: 'nodes.status', scope: point, params: { window: '24h' } });
    if (!status.ok) throw new Error(status.error.message);
    expect((status.data.data as NodeStatus[]).find((n) => n.id === point)).toMatchObject({
      openAppeals: 4,
      overdue: 2,
    });
  });

  it('keeps to a town scope', async () => {
    const town = new Set(network.nodes.filter((n) => n.instituteId === 'I02').map((n) => n.id));
    const inside = network.nodes.find((n) => n.instituteId === 'I02' && n.level === 'station');
    const outside = network.nodes.find((n) => n.instituteId === 'I03' && n.level === 'station');
    if (!inside || !outside) throw new Error('network without stations in I02 and I03');
    const result = await subscribe({ query: 'nodes.status', scope: 'I02', params: { window: '1h' } });
    if (!result.ok) throw new Error(result.error.message);
    let latest = result.data.data as NodeStatus[];
    socket.on('live:query', (u) => {
      if (u.key === result.data.key && u.data) latest = u.data as QueryResults['nodes.status'];
    });
    await post([
      checkin({ nodeId: inside.id, volunteerId: 'V-map-2' }),
      checkin({ nodeId: outside.id, volunteerId: 'V-map-3' }),
    ]);
    await eventually(() => (latest.some((s) => s.id === inside.id) ? true : undefined));
    expect(latest.map((s) => s.id).filter((id) => !town.has(id))).toEqual([]);
  });
});

describe('coverage', () => {
  it('answers the 500 m share, and the towns partition the district sample', async () => {
    const district = await subscribe({ query: 'coverage', params: { radiusM: 500 } });
    if (!district.ok) throw new Error(district.error.message);
    const all = district.data.data as QueryResults['coverage'];
    expect(all.total).toBe(20_000);
    expect(all.covered).toBeGreaterThan(0);
    expect(all.covered).toBeLessThan(all.total);
    const uncoveredResidents = all.uncovered.reduce((sum, c) => sum + c.weight, 0);
    expect(uncoveredResidents).toBe(all.total - all.covered);

    const towns = network.nodes.filter((n) => n.level === 'institute');
    let total = 0;
    let covered = 0;
    for (const town of towns) {
      const r = await subscribe({ query: 'coverage', scope: town.id, params: { radiusM: 500 } });
      if (!r.ok) throw new Error(r.error.message);
      const c = r.data.data as QueryResults['coverage'];
      expect(c.total).toBeLessThan(all.total);
      total += c.total;
      covered += c.covered;
    }
    expect({ total, covered }).toEqual({ total: all.total, covered: all.covered });
  });

  it('refuses a radius off the 100 m steps', async () => {
    const r = await subscribe({ query: 'coverage', params: { radiusM: 450 } });
    expect(r.ok).toBe(false);
  });
});
