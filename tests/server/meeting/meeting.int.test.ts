/**
 * Meeting control on the real server (in-process app, real chdb, real Socket.IO clients): walls put
 * in groups by the admin, a leader's tablet takes a group and its commands reach every wall of that
 * group and no other; a second leader is told who holds it and takes over; release and a
 * disconnected tablet's grace return the walls; a wall token and a dispatcher are refused, and
 * every take, takeover, release, timeout and refusal is in the audit trail.
 */
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../../shared/audit.js';
import type { GroupHold, MeetingView, WallMeeting } from '../../../shared/meeting.js';
import type { GroupList } from '../../../shared/meeting-schemas.js';
import type { Result } from '../../../shared/result.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { handshake, socketFor } from '../../helpers/auth.js';
import { eventually } from '../../helpers/server.js';

const USERS = [
  { username: 'wang', password: 'leader-wang-password', role: 'leader' as const },
  { username: 'li', password: 'leader-li-password', role: 'leader' as const },
  { username: 'desk', password: 'desk-dispatch-pw', role: 'dispatcher' as const, scope: 'district' },
];
const GRACE_MS = 600;
const VIEW: MeetingView = { dashboard: 'command-center', scope: null, card: null, windows: {}, heat: null };
const DRILLED: MeetingView = {
  dashboard: 'command-center',
  scope: 'I03',
  card: 'I03',
  windows: { trend: '24h' },
  heat: { window: '6h', source: 'appeals', category: 'complaint' },
};

let t: TestApp;
const sockets: Socket[] = [];
let admin: string;
const walls: { socket: Socket; seen: WallMeeting[]; token: string }[] = [];

async function wall(group: string | null): Promise<(typeof walls)[number]> {
  const created = await t.createToken({ role: 'wall', label: `wall ${walls.length}` });
  if (group !== null) await setGroup(created.info.id, group);
  const socket = socketFor(t.url, '/live', { token: created.token });
  sockets.push(socket);
  const seen: WallMeeting[] = [];
  socket.on('live:meeting', (m: WallMeeting) => seen.push(m));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const entry = { socket, seen, token: created.info.id };
  walls.push(entry);
  return entry;
}

async function setGroup(tokenId: string, group: string | null): Promise<Response> {
  return t.fetch(`/api/v1/admin/screen-groups/${tokenId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin },
    body: JSON.stringify({ group }),
  });
}

interface Tablet {
  socket: Socket;
  holds: GroupHold[];
  groups: GroupList | null;
  call<T>(event: string, body: unknown): Promise<Result<T>>;
}
async function tablet(username: string, password: string, id: string): Promise<Tablet> {
  const cookie = await t.login(username, password);
  const socket = io(`${t.url}/meeting`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: { tablet: id },
    extraHeaders: { cookie },
  });
  sockets.push(socket);
  const me: Tablet = {
    socket,
    holds: [],
    groups: null,
    call: (event, body) => socket.timeout(10_000).emitWithAck(event, body),
  };
  socket.on('meeting:hold', (h: GroupHold) => me.holds.push(h));
  socket.on('meeting:groups', (g: GroupList) => (me.groups = g));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return me;
}

const last = (w: { seen: WallMeeting[] }) => w.seen.at(-1);
async function audit(action: string): Promise<AuditPage['entries']> {
  const res = await t.fetch(`/api/v1/audit?action=${action}`, { headers: { cookie: admin } });
  return ((await res.json()) as AuditPage).entries;
}

beforeAll(async () => {
  t = await startApp({ users: USERS, env: { MEETING_GRACE_MS: String(GRACE_MS) } });
  admin = await t.login();
}, 120_000);
afterAll(async () => {
  for (const s of sockets) s.close();
  await t.close();
});

describe('meeting control', () => {
  it('drives the walls of the taken group and no other; a second leader sees who holds it and takes over', async () => {
    const [main1, main2, left] = [await wall('主屏'), await wall('主屏'), await wall('左屏')];
    // A wall tells its state as it connects: free.
    await eventually(() => (last(main1) && last(main2) && last(left) ? true : undefined));
    expect(last(main1)).toMatchObject({ group: '主屏', driven: null });

    const a = await tablet('wang', 'leader-wang-password', 'tablet-aaaa');
    const groups = await eventually(() => a.groups ?? undefined);
    expect(groups.groups.map((g) => [g.group, g.screens, g.hold.holder])).toEqual(
      expect.arrayContaining([
        ['主屏', 2, null],
        ['左屏', 1, null],
      ]),
    );
    const leftBefore = left.seen.length;
    expect(await a.call('meeting:take', { group: '主屏', view: VIEW })).toMatchObject({ ok: true });
    expect(await a.call('meeting:command', { group: '主屏', view: DRILLED })).toMatchObject({ ok: true });
    for (const w of [main1, main2]) {
      const m = await eventually(() => (last(w)?.view?.scope === 'I03' ? last(w) : undefined));
      expect(m).toEqual({ group: '主屏', version: 2, driven: { role: 'leader' }, view: DRILLED });
    }
    expect(left.seen.length).toBe(leftBefore);

    const b = await tablet('li', 'leader-li-password', 'tablet-bbbb');
    const held = await eventually(() => b.groups?.groups.find((g) => g.group === '主屏'));
    // The controller is told the holder's role and name (the walls only the role).
    expect(held.hold.holder).toMatchObject({ role: 'leader', name: 'wang', id: 'wang/tablet-aaaa' });
    expect(await b.call('meeting:take', { group: '主屏', view: VIEW })).toMatchObject({
      ok: false,
      error: { code: 'MEETING_GROUP_HELD' },
    });
    const over = await b.call<GroupHold>('meeting:take', { group: '主屏', view: VIEW, from: 'wang/tablet-aaaa' });
    expect(over).toMatchObject({ ok: true, data: { holder: { user: 'li' }, view: DRILLED } });
    expect(await a.call('meeting:command', { group: '主屏', view: VIEW })).toMatchObject({
      ok: false,
      error: { code: 'MEETING_NOT_HOLDER' },
    });
    await eventually(() => (a.holds.at(-1)?.holder?.user === 'li' ? true : undefined));

    expect(await b.call('meeting:release', { group: '主屏' })).toMatchObject({ ok: true });
    for (const w of [main1, main2]) await eventually(() => (last(w)?.driven === null ? true : undefined));
    expect(left.seen.length).toBe(leftBefore);

    expect((await audit('meeting.take')).map((e) => [e.actor, e.subject, e.result])).toContainEqual([
      'wang',
      '主屏',
      'ok',
    ]);
    expect((await audit('meeting.takeover')).map((e) => [e.actor, e.subject])).toEqual([
      ['li', '主屏 from wang (leader)'],
    ]);
    expect((await audit('meeting.release')).map((e) => e.actor)).toEqual(['li']);
    a.socket.close();
    b.socket.close();
  });

  it("returns the walls when the controller's tablet stays away past the grace, and audits the timeout", async () => {
    const [w] = [await wall('右屏')];
    const a = await tablet('wang', 'leader-wang-password', 'tablet-cccc');
    expect(await a.call('meeting:take', { group: '右屏', view: DRILLED })).toMatchObject({ ok: true });
    await eventually(() => (last(w)?.driven ? true : undefined));
    const at = Date.now();
    a.socket.close();
    await eventually(() => (last(w)?.driven === null ? true : undefined));
    expect(Date.now() - at).toBeGreaterThanOrEqual(GRACE_MS);
    expect((await audit('meeting.timeout')).map((e) => [e.actor, e.subject])).toEqual([['wang', '右屏']]);
  });

  it('resumes the hold of a tablet that comes back within the grace', async () => {
    const w = await wall('后屏');
    const a = await tablet('wang', 'leader-wang-password', 'tablet-dddd');
    expect(await a.call('meeting:take', { group: '后屏', view: VIEW })).toMatchObject({ ok: true });
    a.socket.close();
    const again = await tablet('wang', 'leader-wang-password', 'tablet-dddd');
    expect(await again.call('meeting:take', { group: '后屏', view: VIEW })).toMatchObject({
      ok: true,
      data: { lostAt: null, holder: { id: 'wang/tablet-dddd' } },
    });
    // Past the grace, the walls are still driven: the hold was resumed, not timed out.
    await new Promise((r) => setTimeout(r, GRACE_MS * 2));
    expect(last(w)?.driven).toEqual({ role: 'leader' });
    expect(await again.call('meeting:release', { group: '后屏' })).toMatchObject({ ok: true });
  });

  it('refuses a wall token and a dispatcher at /meeting, and audits both refusals', async () => {
    const w = await t.createToken({ role: 'wall', label: 'a wall that tries' });
    expect(await handshake(t.url, '/meeting', { token: w.token })).toBe('AUTH_FORBIDDEN');
    const desk = await t.login('desk', 'desk-dispatch-pw');
    expect(await handshake(t.url, '/meeting', { cookie: desk })).toBe('AUTH_FORBIDDEN');
    const refused = (await audit('meeting.take')).filter((e) => e.result === 'refused').map((e) => e.actor);
    expect(refused).toEqual(expect.arrayContaining([w.info.id, 'desk']));
    // Nor may a dispatcher read the groups over HTTP.
    expect((await t.fetch('/api/v1/meeting/groups', { headers: { cookie: desk } })).status).toBe(403);
  });

  it('moves a connected wall between groups at once, and refuses an unknown group', async () => {
    const w = await wall(null);
    const a = await tablet('wang', 'leader-wang-password', 'tablet-eeee');
    expect(await a.call('meeting:take', { group: '侧屏', view: VIEW })).toMatchObject({
      ok: false,
      error: { code: 'MEETING_UNKNOWN_GROUP' },
    });
    expect((await setGroup(w.token, '左屏')).status).toBe(200);
    expect(await a.call('meeting:take', { group: '左屏', view: DRILLED })).toMatchObject({ ok: true });
    await eventually(() => (last(w)?.view?.scope === 'I03' ? true : undefined));
    expect((await setGroup(w.token, null)).status).toBe(200);
    await eventually(() => (last(w)?.driven === null ? true : undefined));
    expect((await audit('screen.group')).map((e) => e.subject)).toContain(`${w.token} → 左屏`);
    expect(await a.call('meeting:release', { group: '左屏' })).toMatchObject({ ok: true });
  });
});
