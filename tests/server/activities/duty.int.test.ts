/**
 * 签到 on duty for an order (server/activities/duty.ts), on the app in-process (real chdb): the
 * volunteer who accepted an order checks in by scanning its place's code — the check-in is stored
 * once (a retried scan answers the first), near or far recorded, and the order starts (服务中) with
 * the volunteer as the actor; check-out credits the hours. Another volunteer, or the same one at
 * another place, is refused ACTIVITY_NOT_SIGNED_UP as before.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanBody, ScanResult } from '../../../shared/activity-api.js';
import type { NetworkNode } from '../../../shared/network.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { command, networkNodes, orderDetail, postCommand } from '../../helpers/dispatch.js';
import { eventually } from '../../helpers/server.js';
import { orderAtStation, readyVolunteer, type TestVolunteer } from '../../helpers/volunteer.js';

let server: TestApp;
let admin: Credential & { cookie: string };
let station: NetworkNode;
let other: NetworkNode;
let v: TestVolunteer;
let stranger: TestVolunteer;

const scan = async (who: TestVolunteer, body: Partial<ScanBody>) => {
  const response = await server.fetch(`${server.url}/api/v1/field/scans`, {
    method: 'POST',
    headers: { ...headersFor(who.credential), 'content-type': 'application/json' },
    body: JSON.stringify({
      id: randomUUID(),
      nodeId: station.id,
      action: 'checkin',
      at: Date.now(),
      position: null,
      ...body,
    }),
  });
  return { status: response.status, body: (await response.json()) as ScanResult & { code?: string } };
};
/** Stored check-ins and check-outs of the order, read from ClickHouse. */
const stored = (orderId: string) =>
  server.app.store.query<{ type: string; n: string; tag: string }>(
    `SELECT type, count() AS n, any(tag) AS tag FROM events FINAL WHERE subject_id = {id:String} AND type IN ('checkin', 'checkout') GROUP BY type ORDER BY type`,
    { id: orderId },
  );

beforeAll(async () => {
  server = await startApp({ env: { DISPATCH_AUTO_ESCALATE: '0' } });
  admin = { cookie: await server.login() };
  const nodes = await networkNodes(server, admin);
  station = nodes.find((n) => n.level === 'station' && n.instituteId === 'I02') as NetworkNode;
  other = nodes.find((n) => n.level === 'station' && n.instituteId === 'I02' && n.id !== station.id) as NetworkNode;
  v = await readyVolunteer(server, admin.cookie, { instituteId: 'I02', stationId: station.id });
  stranger = await readyVolunteer(server, admin.cookie, { instituteId: 'I02', stationId: station.id });
}, 180_000);
afterAll(async () => {
  await server.close();
});

describe('签到 on duty for an order', () => {
  it('checks the order’s volunteer in at its place, once, and starts the service; check-out credits hours', async () => {
    const order = await orderAtStation(server, admin, station.id);
    // The station's desk takes it for the volunteer (接单 by phone call; the app's accept is the same claim).
    const claimed = await postCommand(
      server,
      admin,
      order.id,
      command(order.id, order.version, { type: 'claim', assignee: { kind: 'volunteer', id: v.id } }),
    );
    expect(claimed.ack.ok).toBe(true);

    expect((await scan(stranger, {})).body.code).toBe('ACTIVITY_NOT_SIGNED_UP');
    expect((await scan(v, { nodeId: other.id })).body.code).toBe('ACTIVITY_NOT_SIGNED_UP');

    const id = randomUUID();
    const first = await scan(v, { id, position: { lat: station.lat, lon: station.lon } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'checkin', activityId: order.id, near: true, eventId: id });
    const again = await scan(v, { id, position: { lat: station.lat, lon: station.lon } });
    expect(again.body).toMatchObject({ outcome: 'already', eventId: id });

    const detail = await orderDetail(server, admin, order.id);
    expect(detail.order.state).toBe('in_service');
    expect(detail.timeline.filter((e) => e.actorId === v.id).map((e) => e.action)).toEqual(['start']);

    const out = await scan(v, { action: 'checkout', at: Date.now() });
    expect(out.body).toMatchObject({ outcome: 'checkout', activityId: order.id });
    expect(out.body.hours).toBeGreaterThanOrEqual(0);
    const rows = await eventually(async () => {
      const r = await stored(order.id);
      return r.length === 2 ? r : undefined;
    });
    expect(rows.map((r) => [r.type, Number(r.n)])).toEqual([
      ['checkin', 1],
      ['checkout', 1],
    ]);
    expect(rows[0]?.tag).toBe('near');
  });
});
