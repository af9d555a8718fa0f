/**
 * The meeting tablet's state (Pinia setup store): every screen group with its walls and its hold
 * (`meeting:groups` on connect, `meeting:hold` on every change), this tablet's controller id, and
 * the acts — take, take over (after the page's confirmation), drive, release. Each drive sends the
 * whole view (shared/meeting.ts MeetingView); the server answers the group's hold, which is the truth
 * shown. A hold this tablet had that changes hands or frees without its release is told as a notice.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Principal } from '../../shared/auth';
import type { ControlRole, GroupHold, MeetingView } from '../../shared/meeting';
import type { GroupInfo } from '../../shared/meeting-schemas';
import type { Result } from '../../shared/result';
import { createMeetingSocket, tabletId, type MeetingSocket } from '../meetingSocket';
import { groupStatus } from './view';

export interface TabletNotice {
  kind: 'takenOver' | 'timedOut' | 'released';
  group: string;
  role: ControlRole | null;
}

/** An act left unanswered this long (a server gone mid-meeting) is told as a failure, not waited on. */
const ACK_TIMEOUT_MS = 10_000;

export const useTabletStore = defineStore('tablet', () => {
  const groups = shallowRef<GroupInfo[]>([]);
  const connected = ref(false);
  const me = ref('');
  const notice = shallowRef<TabletNotice | null>(null);
  /** The code of the last refused act; null after a good one. */
  const error = ref<string | null>(null);
  const busy = ref(false);
  /** Groups this tablet released itself: their freeing is no surprise. */
  const releasing = new Set<string>();
  let socket: MeetingSocket | null = null;

  /** The group this tablet drives (one at a time on one tablet), with its hold. */
  const driving = computed(() => groups.value.find((g) => groupStatus(g.hold, me.value) === 'mine') ?? null);
  const view = computed<MeetingView | null>(() => driving.value?.hold.view ?? null);

  /** Tells what became of a hold this tablet had: taken over, timed out, or released as asked. */
  function tell(before: GroupHold | undefined, hold: GroupHold): void {
    if (!before || groupStatus(before, me.value) !== 'mine' || groupStatus(hold, me.value) === 'mine') return;
    const mine = releasing.delete(hold.group);
    notice.value = hold.holder
      ? { kind: 'takenOver', group: hold.group, role: hold.holder.role }
      : { kind: mine ? 'released' : 'timedOut', group: hold.group, role: null };
  }

  function adopt(hold: GroupHold): void {
    const before = groups.value.find((g) => g.group === hold.group)?.hold;
    // Within one take, holds only move forward: an answer overtaken by a newer change (another node's
    // broadcast) must not undo it. A new take starts its versions again, with a new `since`.
    if (
      before?.holder &&
      hold.holder?.id === before.holder.id &&
      hold.since === before.since &&
      hold.version < before.version
    )
      return;
    tell(before, hold);
    groups.value = before
      ? groups.value.map((g) => (g.group === hold.group ? { ...g, hold } : g))
      : [...groups.value, { group: hold.group, screens: 0, hold }];
  }

  function ask(act: (s: MeetingSocket, done: (r: Result<GroupHold>) => void) => void): Promise<boolean> {
    const s = socket;
    if (!s) return Promise.resolve(false);
    busy.value = true;
    return new Promise((resolve) =>
      act(s, (result) => {
        busy.value = false;
        if (result.ok) {
          error.value = null;
          adopt(result.data);
        } else error.value = result.error.code;
        resolve(result.ok);
      }),
    );
  }
  const timedOut = (err: Error | null, result: Result<GroupHold>): Result<GroupHold> =>
    err ? { ok: false, error: { code: 'SOCKET_TIMEOUT', message: err.message } } : result;

  /** Takes a free group, or (`from`: the holder the person was shown and confirmed) takes it over. */
  function take(group: string, start: MeetingView, from?: string): Promise<boolean> {
    notice.value = null;
    const body = from === undefined ? { group, view: start } : { group, view: start, from };
    return ask((s, done) =>
      s.timeout(ACK_TIMEOUT_MS).emit('meeting:take', body, (err: Error | null, r) => done(timedOut(err, r))),
    );
  }

  /** Drives the held group to `next`: every wall of it follows. */
  function drive(next: MeetingView): Promise<boolean> {
    const group = driving.value?.group;
    if (!group) return Promise.resolve(false);
    return ask((s, done) =>
      s
        .timeout(ACK_TIMEOUT_MS)
        .emit('meeting:command', { group, view: next }, (err: Error | null, r) => done(timedOut(err, r))),
    );
  }

  function release(): Promise<boolean> {
    const group = driving.value?.group;
    if (!group) return Promise.resolve(false);
    releasing.add(group);
    return ask((s, done) =>
      s.timeout(ACK_TIMEOUT_MS).emit('meeting:release', { group }, (err: Error | null, r) => done(timedOut(err, r))),
    );
  }

  /** Connects as `principal`'s tablet; answers the unbinding function. */
  function bind(principal: Principal, target: MeetingSocket = createMeetingSocket()): () => void {
    socket = target;
    me.value = `${principal.id}/${tabletId()}`;
    target.on('connect', () => (connected.value = true));
    target.on('disconnect', () => (connected.value = false));
    target.on('meeting:groups', (list) => {
      // Told on every (re)connect: a hold lost meanwhile is told as any other change.
      for (const g of list.groups) tell(groups.value.find((x) => x.group === g.group)?.hold, g.hold);
      groups.value = list.groups;
      // Back within the grace: take again what this tablet held, so the server resumes it (and times it again on a loss).
      for (const g of list.groups) if (g.hold.holder?.id === me.value && g.hold.view) void take(g.group, g.hold.view);
    });
    target.on('meeting:hold', adopt);
    target.connect();
    return () => {
      target.removeAllListeners();
      target.disconnect();
      socket = null;
    };
  }

  return { groups, connected, me, notice, error, busy, driving, view, take, drive, release, bind };
});
