/**
 * 我的志愿记录 on the real server: hours by month from the volunteer's check-outs (a re-sent one
 * counted once, another volunteer's not at all), the orders they completed, and the ratings those
 * got — the citizen's score from the public page, and a rating whose score was not kept.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderList, OrderView } from '../../../shared/dispatch.js';
import type { NetworkNode } from '../../../shared/network.js';
import { codeSegment } from '../../../shared/node-link.js';
import type { FieldRecord } from '../../../shared/record.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { orderBody, placeOrder, rate } from '../../helpers/citizen.js';
import { command, networkNodes, postCommand, toInstitute } from '../../helpers/dispatch.js';
import { checkout } from '../../helpers/events.js';
import { orderAtStation, readyVolunteer, type TestVolunteer } from '../../helpers/volunteer.js';

const DAY = 86_400_000;
let server: TestApp;
let admin: { cookie: string };
let v: TestVolunteer;

const record = async (cookie: string): Promise<FieldRecord> =>
  (await (await server.fetch(`${server.url}/api/v1/field/record`, { headers: { cookie } })).json()) as FieldRecord;
const ingest = async (events: unknown[]) => {
  const r = await server.fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(r.status).toBe(200);
};
/** Claimed for the volunteer by the desk (a volunteer without the app), started and completed. */
async function serve(order: OrderView): Promise<void> {
  let version = order.version;
  for (const rest of [
    { type: 'claim', assignee: { kind: 'volunteer', id: v.id } },
    { type: 'start' },
    { type: 'complete' },
  ]) {
    const answer = await postCommand(server, admin, order.id, command(order.id, version, rest));
    if (!answer.ack.ok) throw new Error(answer.ack.error.code);
    version = answer.ack.data.order.version;
  }
}

beforeAll(async () => {
  server = await startApp({ env: { PUBLIC_POSTS_PER_MINUTE: '1000', PUBLIC_READS_PER_MINUTE: '1000' } });
  admin = { cookie: await server.login() };
  v = await readyVolunteer(server, admin.cookie, { instituteId: 'I01' });
});
afterAll(async () => {
  await server.close();
});

describe('my record', () => {
  it('starts empty: twelve months of nothing', async () => {
    const empty = await record(v.cookie);
    expect(empty.months).toHaveLength(12);
    expect(empty).toMatchObject({ totalHours: 0, completed: 0, ratings: { count: 0, average: null, recent: [] } });
    expect(empty.months.every((m) => m.hours === 0)).toBe(true);
  });

  it('sums hours by month, counts completed orders and the ratings they got', async () => {
    const now = Date.now();
    const twice = checkout({ volunteerId: v.id, nodeId: v.stationId, ts: now - 60_000, hours: 2 });
    await ingest([
      twice,
      checkout({ volunteerId: v.id, nodeId: v.stationId, ts: now - 30_000, hours: 1.5 }),
      checkout({ volunteerId: v.id, nodeId: v.stationId, ts: now - 62 * DAY, hours: 3 }),
      checkout({ volunteerId: 'V000001', nodeId: v.stationId, ts: now - 30_000, hours: 8 }),
    ]);
    await ingest([twice]);

    // A citizen's 点单 at the volunteer's station, served by them and rated 4 on the tracking page.
    const station = (await networkNodes(server, admin)).find((n: NetworkNode) => n.id === v.stationId);
    const since = Date.now() - 1;
    const placed = await placeOrder(server, codeSegment(station?.code ?? '') ?? '', orderBody());
    expect(placed).toMatchObject({ status: 200 });
    await expect
      .poll(async () => {
        const r = await server.fetch(`${server.url}/api/v1/orders`, { headers: admin });
        return ((await r.json()) as OrderList).orders.some((o) => o.venueId === v.stationId && o.createdAt >= since);
      })
      .toBe(true);
    const list = (await (await server.fetch(`${server.url}/api/v1/orders`, { headers: admin })).json()) as OrderList;
    const citizens = list.orders.find((o) => o.venueId === v.stationId && o.createdAt >= since);
    if (!citizens) throw new Error('the citizen’s order is not on the board');
    const atTown = await toInstitute(server, admin, citizens);
    const atStation = await postCommand(
      server,
      admin,
      atTown.id,
      command(atTown.id, atTown.version, { type: 'dispatch_station', stationId: v.stationId }),
    );
    if (!atStation.ack.ok) throw new Error(atStation.ack.error.code);
    await serve(atStation.ack.data.order);
    expect(
      (await rate(server, placed.body.token, { commandId: randomUUID(), score: 4, comment: '很耐心' })).status,
    ).toBe(200);

    // Another, rated by the desk: counted, its score not kept; a third completed, not rated.
    const second = await orderAtStation(server, admin, v.stationId);
    await serve(second);
    const done = (
      await postCommand(server, admin, second.id, command(second.id, second.version + 3, { type: 'rate', score: 5 }))
    ).ack;
    expect(done.ok).toBe(true);
    await serve(await orderAtStation(server, admin, v.stationId, '社区环境清扫'));

    // The store is written a moment after each command is acknowledged: wait for the last completion
    // and both ratings (on a loaded CI machine the third completion came after the second rating).
    await expect
      .poll(async () => {
        const r = await record(v.cookie);
        return [r.completed, r.ratings.count];
      })
      .toEqual([3, 2]);
    const mine = await record(v.cookie);
    expect(mine.totalHours).toBe(6.5);
    expect(mine.months.at(-1)?.hours).toBe(3.5);
    expect(mine.months.filter((m) => m.hours > 0).map((m) => m.hours)).toEqual([3, 3.5]);
    expect(mine.completed).toBe(3);
    expect(mine.ratings.average).toBe(4);
    expect(mine.ratings.recent.map((r) => r.score).sort()).toEqual([0, 4]);
  });

  it('is the volunteer’s own: nobody else reads it', async () => {
    for (const headers of [{}, admin]) {
      const r = await server.fetch(`${server.url}/api/v1/field/record`, { headers });
      expect(r.status).toBe(headers === admin ? 403 : 401);
    }
  });
});
