import { createPinia, setActivePinia } from 'pinia';
import { effectScope, nextTick, ref } from 'vue';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Dashboard } from '../../shared/dashboard.js';
import { freeHold, type Controller, type GroupHold, type WallMeeting } from '../../shared/meeting.js';
import type { GroupList } from '../../shared/meeting-schemas.js';
import type { NetworkNode } from '../../shared/network.js';
import { clockAt, followState } from '../../shared/replay.js';
import { ok } from '../../shared/result.js';
import { useCycle } from '../../client/composables/useCycle.js';
import type { MeetingSocket } from '../../client/meetingSocket.js';
import { useTabletStore } from '../../client/meeting/tablet.js';
import {
  childrenOf,
  groupStatus,
  replayFor,
  replayMoved,
  searchNodes,
  startView,
  switchables,
  withDashboard,
  withScope,
  withWindow,
} from '../../client/meeting/view.js';
import { useMeetingStore } from '../../client/stores/meeting.js';

const node = (id: string, level: NetworkNode['level'], parentId: string | null, name = id): NetworkNode => ({
  id,
  level,
  name,
  parentId,
  instituteId: level === 'center' ? null : 'I01',
  lat: 30.5,
  lon: 103.9,
  kind: null,
  code: `code-${id}`,
});
const NODES = [
  node('C', 'center', null, '双流区'),
  node('I01', 'institute', 'C', '东升街道'),
  node('I02', 'institute', 'C', '九江街道'),
  node('S001', 'station', 'I01', '东升社区'),
  node('S002', 'station', 'I02', '九江社区'),
  node('P001', 'point', 'S001', '东升广场'),
];
const BY_ID = new Map(NODES.map((n) => [n.id, n]));
const WANG: Controller = { id: 'wang/tab-1', user: 'wang', name: '王', role: 'leader' };
const LI: Controller = { id: 'li/tab-2', user: 'li', name: '李', role: 'admin' };
const held = (holder: Controller | null, version: number, lostAt: number | null = null): GroupHold => ({
  ...freeHold('主屏'),
  holder,
  view: holder ? startView('command-center') : null,
  version,
  since: holder ? 1000 : 0,
  lostAt,
});

describe('the tablet view', () => {
  it('says whose a group is: free, this tablet, another controller, one away', () => {
    expect(groupStatus(held(null, 0), WANG.id)).toBe('free');
    expect(groupStatus(held(WANG, 1), WANG.id)).toBe('mine');
    expect(groupStatus(held(LI, 1), WANG.id)).toBe('held');
    expect(groupStatus(held(LI, 2, 5000), WANG.id)).toBe('away');
  });

  it('starts the switches again on another dashboard, keeps them on the same', () => {
    const v = withWindow(startView('evaluation'), 'trend', '7d');
    expect(withDashboard(v, 'evaluation')).toBe(v);
    expect(withDashboard(v, 'leadership')).toEqual({ ...v, dashboard: 'leadership', windows: {} });
  });

  it('closes a card outside a new scope, keeps one inside it', () => {
    const carded = { ...startView('command-center'), scope: 'I01', card: 'P001' };
    expect(withScope(carded, 'S001', BY_ID).card).toBe('P001');
    expect(withScope(carded, 'I02', BY_ID).card).toBeNull();
    expect(withScope(carded, null, BY_ID).card).toBe('P001');
  });

  it('lists one level down and finds sites by name, towns first', () => {
    expect(childrenOf(NODES, null).map((n) => n.id)).toEqual(['I01', 'I02']);
    expect(childrenOf(NODES, 'I01').map((n) => n.id)).toEqual(['S001']);
    expect(searchNodes(NODES, '东升').map((n) => n.id)).toEqual(['I01', 'S001', 'P001']);
    expect(searchNodes(NODES, 's002').map((n) => n.id)).toEqual(['S002']);
    expect(searchNodes(NODES, '  ')).toEqual([]);
  });

  it('offers the switches of panels with more than one choice', () => {
    const d = {
      panels: [
        { id: 'trend', type: 'trend', title: 't', options: { windows: ['30d', '7d'] } },
        { id: 'one', type: 'trend', title: 't', options: { windows: ['1h'] } },
        { id: 'institutes', type: 'ranking', title: 'r', options: { periods: ['month', 'year'] } },
        { id: 'kpi', type: 'kpi', title: 'k' },
      ],
    } as unknown as Dashboard;
    expect(switchables(d).map((s) => [s.panel, s.kind, s.choices])).toEqual([
      ['trend', 'window', ['30d', '7d']],
      ['institutes', 'period', ['month', 'year']],
    ]);
  });

  it('starts a replay of a morning in the county clock, and pauses it where the walls stand', () => {
    const now = Date.parse('2026-12-07T10:00:00+08:00');
    const started = replayFor('2026-11-28', '08:00', '12:00', 60, now);
    expect(started).toEqual(
      ok({
        from: Date.parse('2026-11-28T08:00:00+08:00'),
        to: Date.parse('2026-11-28T12:00:00+08:00'),
        speed: 60,
        paused: false,
        at: Date.parse('2026-11-28T08:00:00+08:00'),
      }),
    );
    if (!started.ok) return;
    // Ten wall seconds at 60×: ten replayed minutes on.
    const paused = replayMoved(started.data, now, { op: 'pause' }, now + 10_000);
    expect(paused.ok && paused.data).toMatchObject({ paused: true, at: Date.parse('2026-11-28T08:10:00+08:00') });
    if (!paused.ok) return;
    // A wall following the paused state stands there, however long it waits.
    const wall = followState(paused.data, now + 20_000);
    expect(wall.ok && clockAt(wall.data, now + 99_000)).toBe(Date.parse('2026-11-28T08:10:00+08:00'));
    expect(replayFor('2026-12-08', '08:00', '12:00', 60, now).ok).toBe(false);
    expect(replayFor('2026-11-28', '8 am', '12:00', 60, now).ok).toBe(false);
  });
});

describe('a panel switch driven by the meeting', () => {
  it('shows the forced choice while it is one of its items, and stands still meanwhile', async () => {
    vi.useFakeTimers();
    const forced = ref<string | undefined>(undefined);
    const scope = effectScope();
    const cycle = scope.run(() =>
      useCycle(
        () => ['1h', '24h', '7d'],
        () => '1h',
        () => 10,
        () => forced.value,
      ),
    );
    if (!cycle) throw new Error('no cycle');
    vi.advanceTimersByTime(10_000);
    expect(cycle.current.value).toBe('24h');
    forced.value = '7d';
    expect(cycle.current.value).toBe('7d');
    await nextTick();
    vi.advanceTimersByTime(60_000);
    expect(cycle.current.value).toBe('7d');
    forced.value = '30d';
    expect(cycle.current.value).toBe('24h');
    scope.stop();
    vi.useRealTimers();
  });
});

describe('the wall meeting store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('follows a driven group by role, ignores a repeat, and is free again on release', () => {
    const store = useMeetingStore();
    const driven: WallMeeting = {
      group: '主屏',
      version: 1,
      driven: { role: 'leader' },
      view: startView('leadership'),
    };
    store.apply(driven);
    expect(store.driven).toEqual({ role: 'leader' });
    expect(store.view?.dashboard).toBe('leadership');
    const before = store.state;
    store.apply({ ...driven });
    expect(store.state).toBe(before);
    // A freed and re-taken group counts from 1 again: the same version with another view is a change.
    store.apply({ ...driven, view: startView('evaluation') });
    expect(store.view?.dashboard).toBe('evaluation');
    store.apply({ group: '主屏', version: 2, driven: null, view: null });
    expect(store.driven).toBeNull();
    expect(store.view).toBeNull();
  });
});

/** A /meeting socket stand-in: handlers by name, acts answered by `answer`. */
function fakeSocket(answer: (event: string, body: unknown) => GroupHold) {
  const handlers = new Map<string, ((...args: unknown[]) => void)[]>();
  const sent: { event: string; body: unknown }[] = [];
  const socket = {
    on: (name: string, fn: (...args: unknown[]) => void) => handlers.set(name, [...(handlers.get(name) ?? []), fn]),
    removeAllListeners: () => handlers.clear(),
    connect: () => undefined,
    disconnect: () => undefined,
    timeout: () => ({
      emit: (event: string, body: unknown, ack: (err: Error | null, r: unknown) => void) => {
        sent.push({ event, body });
        ack(null, ok(answer(event, body)));
      },
    }),
  };
  return {
    socket: socket as unknown as MeetingSocket,
    fire: (name: string, ...args: unknown[]) => handlers.get(name)?.forEach((fn) => fn(...args)),
    sent,
  };
}

describe('the tablet store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    const session = new Map<string, string>([['wmsj.meeting.tablet', 'tab-1']]);
    vi.stubGlobal('sessionStorage', {
      getItem: (k: string) => session.get(k) ?? null,
      setItem: (k: string, v: string) => session.set(k, v),
    });
  });

  it('drives the group it took, is told when taken over, and when its hold times out', async () => {
    const fake = fakeSocket((event, body) =>
      event === 'meeting:release' ? held(null, 0) : { ...held(WANG, 2), view: (body as { view: never }).view },
    );
    const store = useTabletStore();
    store.bind({ kind: 'user', id: 'wang', name: '王', role: 'leader', scope: 'district' }, fake.socket);
    expect(store.me).toBe(WANG.id);
    const list: GroupList = { groups: [{ group: '主屏', screens: 2, hold: held(null, 0) }] };
    fake.fire('meeting:groups', list);
    expect(await store.take('主屏', startView('command-center'))).toBe(true);
    expect(store.driving?.group).toBe('主屏');
    expect(await store.drive({ ...startView('evaluation'), scope: 'I01' })).toBe(true);
    expect(fake.sent.at(-1)).toEqual({
      event: 'meeting:command',
      body: { group: '主屏', view: { ...startView('evaluation'), scope: 'I01' } },
    });
    expect(store.view?.scope).toBe('I01');

    fake.fire('meeting:hold', { ...held(LI, 3), since: 2000 });
    await nextTick();
    expect(store.driving).toBeNull();
    expect(store.notice).toEqual({ kind: 'takenOver', group: '主屏', role: 'admin' });

    // Taken again, then freed without this tablet's release: the grace ran out.
    await store.take('主屏', startView('command-center'));
    fake.fire('meeting:hold', held(null, 0));
    expect(store.notice).toEqual({ kind: 'timedOut', group: '主屏', role: null });

    await store.take('主屏', startView('command-center'));
    await store.release();
    expect(store.notice).toEqual({ kind: 'released', group: '主屏', role: null });
  });
});
