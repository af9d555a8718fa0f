/**
 * The team and volunteer board on the app in-process (real chdb, backfilled registry): 总队 → 支队 →
 * 小队 within the caller's scope; a volunteer who checks in is 在岗 at the node they scanned, one who
 * claims an order is 服务中 on it with an order today; names masked. As an attacker, another town's
 * dispatcher gets nothing of the town: not its figures, not its teams, not its members. Candidates
 * for an order are measured from their last check-in when it is recent, else from their station.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../../../shared/candidates.js';
import type { Candidate } from '../../../shared/dispatch.js';
import type { NetworkNode } from '../../../shared/network.js';
import type { TeamBoard, TeamMembers } from '../../../shared/teams.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { headersFor, type Credential } from '../../helpers/auth.js';
import { command, networkNodes, postCommand, requestOrder, toInstitute } from '../../helpers/dispatch.js';
import { checkin } from '../../helpers/events.js';
import { eventually } from '../../helpers/server.js';

const PASSWORD = 'a test password for the team board';
let server: TestApp;
let admin: Credential;
let town3: Credential;
let town5: Credential;
let nodes: NetworkNode[];

const get = (path: string, credential: Credential) =>
  fetch(`${server.url}${path}`, { headers: headersFor(credential) });
const board = async (credential: Credential, town = ''): Promise<TeamBoard> => {
  const response = await get(`/api/v1/teams${town ? `?town=${town}` : ''}`, credential);
  expect(response.status).toBe(200);
  return (await response.json()) as TeamBoard;
};
const members = async (credential: Credential, team: string): Promise<TeamMembers> => {
  const response = await get(`/api/v1/teams/members?team=${encodeURIComponent(team)}`, credential);
  expect(response.status).toBe(200);
  return (await response.json()) as TeamMembers;
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

describe('team and volunteer board', () => {
  it('gives the district the 总队 and every 支队, a town only its own 支队 and 小队', async () => {
    const district = await board(admin);
    expect(district.branches.map((b) => b.id)).toEqual(['I01', 'I02', 'I03', 'I04', 'I05', 'I06', 'I07', 'I08', 'I09']);
    expect(district.corps?.members).toBe(district.branches.reduce((n, b) => n + b.members, 0));
    expect(district.corps?.teams).toBeGreaterThan(100);
    expect(district.teams).toEqual([]);
    const own = await board(town3);
    expect(own.corps).toBeNull();
    expect(own.branches.map((b) => b.id)).toEqual(['I03']);
    expect(own.town).toBe('I03');
    expect(own.teams.length).toBe(own.branches[0]?.teams);
    expect(own.teams.every((t) => t.id.startsWith('I03:'))).toBe(true);
    expect((await board(admin, 'I03')).teams).toEqual(own.teams);
  });

  it('shows a checked-in volunteer on duty where they scanned, and a claimant serving on the order', async () => {
    const team = (await board(town3)).teams.find((t) => t.members >= 2);
    if (!team) throw new Error('no team of two in I03');
    const [first, second] = (await members(town3, team.id)).members;
    if (!first || !second) throw new Error('no members');
    const point = nodes.find((n) => n.level === 'point' && n.instituteId === 'I03');
    if (!point) throw new Error('no point in I03');
    const ingest = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headersFor({ token: server.token }), 'content-type': 'application/json' },
      body: JSON.stringify([
        checkin({ nodeId: point.id, volunteerId: first.id, activityId: 'ACT-TEAMS', ts: Date.now() }),
      ]),
    });
    expect(ingest.status).toBe(200);

    const station = nodes.find((n) => n.id === team.stationId);
    if (!station) throw new Error('no station');
    const order = await toInstitute(server, admin, await requestOrder(server, admin, station.id, '代购药品'));
    const atStation = await postCommand(
      server,
      town3,
      order.id,
      command(order.id, order.version, { type: 'dispatch_station', stationId: station.id }),
    );
    if (!atStation.ack.ok) throw new Error(atStation.ack.error.code);
    const claimed = await postCommand(
      server,
      town3,
      order.id,
      command(order.id, atStation.ack.data.order.version, {
        type: 'claim',
        assignee: { kind: 'volunteer', id: second.id },
      }),
    );
    if (!claimed.ack.ok) throw new Error(claimed.ack.error.code);

    const seen = await eventually(async () => {
      const m = await members(town3, team.id);
      const a = m.members.find((x) => x.id === first.id);
      const b = m.members.find((x) => x.id === second.id);
      return a?.status === 'on_duty' && b?.status === 'serving' ? { m, a, b } : undefined;
    }, 300);
    expect(seen.a.checkin?.nodeId).toBe(point.id);
    expect(seen.a.order).toBeNull();
    expect(seen.b.order).toMatchObject({ id: order.id, state: 'claimed' });
    expect(seen.b.ordersToday).toBe(1);
    expect(seen.m.team).toMatchObject({ id: team.id, serving: 1, ordersToday: 1 });
    expect(seen.m.team.onDuty).toBeGreaterThanOrEqual(1);
    expect(seen.m.members.every((x) => x.name.includes('*'))).toBe(true);
  });

  it('gives another town’s dispatcher nothing of the town', async () => {
    const team = (await board(town3)).teams[0]?.id ?? '';
    for (const path of ['/api/v1/teams?town=I03', `/api/v1/teams/members?team=${encodeURIComponent(team)}`]) {
      const response = await get(path, town5);
      expect(response.status, path).toBe(403);
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort(), path).toEqual(['code', 'message']);
      expect(body['code']).toBe('AUTH_FORBIDDEN');
    }
    const own = await get('/api/v1/teams', town5);
    const text = await own.text();
    expect(own.status).toBe(200);
    expect(text).not.toContain('I03');
    expect((JSON.parse(text) as TeamBoard).branches.map((b) => b.id)).toEqual(['I05']);
    // A town that does not exist, and a malformed team id, are refused alike.
    expect((await get('/api/v1/teams?town=I99', town5)).status).toBe(403);
    expect((await get('/api/v1/teams/members?team=I03%27%20OR%201', town5)).status).toBe(400);
    expect((await get('/api/v1/teams/members?team=I05:S001:T99', town5)).status).toBe(404);
  });
});

describe('candidates', () => {
  it('measures a volunteer from their last check-in, the others of the station from the station', async () => {
    const station = nodes.find((n) => n.level === 'station' && n.instituteId === 'I03');
    // A point near the station, so the volunteer stays among the candidates once placed there.
    const far = nodes
      .filter((n) => n.level === 'point' && n.instituteId === 'I03' && station && haversineM(station, n) > 100)
      .sort((a, b) => (station ? haversineM(station, a) - haversineM(station, b) : 0))[0];
    if (!station || !far) throw new Error('no station or point in I03');
    const order = await toInstitute(server, admin, await requestOrder(server, admin, station.id, '代购药品'));
    const moved = await postCommand(
      server,
      town3,
      order.id,
      command(order.id, order.version, { type: 'dispatch_station', stationId: station.id }),
    );
    if (!moved.ack.ok) throw new Error(moved.ack.error.code);
    const ranked = async (): Promise<Candidate[]> =>
      (await (await get(`/api/v1/orders/${order.id}/candidates?limit=100`, town3)).json()) as Candidate[];
    const before = (await ranked()).filter((c) => c.kind === 'volunteer');
    // The best-ranked of the station's volunteers moves a few hundred metres: it stays in the list.
    const home = before.filter((c) => c.from === 'station' && c.distanceM === before[0]?.distanceM);
    const [mover, stays] = home;
    if (!mover || !stays) throw new Error('no two volunteers measured from one station');
    const ingest = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headersFor({ token: server.token }), 'content-type': 'application/json' },
      body: JSON.stringify([checkin({ nodeId: far.id, volunteerId: mover.id, activityId: 'ACT-FAR', ts: Date.now() })]),
    });
    expect(ingest.status).toBe(200);
    const venue = nodes.find((n) => n.id === order.venueId) ?? station;
    const after = await eventually(async () => {
      const c = (await ranked()).find((x) => x.id === mover.id);
      return c?.from === 'checkin' ? c : undefined;
    }, 300);
    expect(after.distanceM).toBe(Math.round(haversineM(venue, far)));
    expect(after.distanceM).not.toBe(mover.distanceM);
    const stayed = (await ranked()).find((x) => x.id === stays.id);
    expect(stayed).toMatchObject({ from: 'station', distanceM: mover.distanceM });

    // A volunteer of the town from a station not searched, checked in at the venue, is a candidate there.
    const listed = new Set((await ranked()).map((c) => c.id));
    const teams = (await board(town3)).teams;
    let outsider = '';
    for (const t of teams) {
      outsider = (await members(town3, t.id)).members.find((m) => !listed.has(m.id) && m.id !== mover.id)?.id ?? '';
      if (outsider) break;
    }
    if (!outsider) throw new Error('every volunteer of I03 is a candidate already');
    const late = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { ...headersFor({ token: server.token }), 'content-type': 'application/json' },
      body: JSON.stringify([
        checkin({ nodeId: venue.id, volunteerId: outsider, activityId: 'ACT-HERE', ts: Date.now() }),
      ]),
    });
    expect(late.status).toBe(200);
    const here = await eventually(async () => (await ranked()).find((x) => x.id === outsider), 300);
    expect(here).toMatchObject({ kind: 'volunteer', from: 'checkin', distanceM: 0 });
  });
});
