/**
 * The dispatch console's live state, fed by the `/dispatch` socket: the open board of the
 * dispatcher's scope, volunteers on it, who is looking at which order, and notes. Pushes apply in
 * `seq` order (a gap asks for a snapshot); a command shows its predicted result at once and rolls
 * back, with the reason, when the server refuses it (merge.ts holds the pure rules).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { Principal } from '../../shared/auth';
import type { DispatchSnapshot, Note, OrderView, Viewer, VolunteerView } from '../../shared/dispatch';
import type { Offer } from '../../shared/field';
import { isAuthRefusal } from '../auth';
import { createDispatchSocket, type DispatchSocket } from '../dispatchSocket';
import { boardOf, classifySeq, mergeOrder, overlay, type Board, type Pending } from '../dispatch/merge';
import { useDispatchCommands } from '../dispatch/useDispatchCommands';

export type DispatchConnection = 'connecting' | 'connected' | 'disconnected' | 'unauthorized';

type Push = { seq: number; order: OrderView } | { seq: number; volunteer: VolunteerView };

const RESYNC_TIMEOUT_MS = 5000;
/** Pushes held while a resync is in flight; older ones are covered by the snapshot anyway. */
const HELD_CAP = 500;

export const useDispatchStore = defineStore('dispatch', () => {
  const connection = ref<DispatchConnection>('connecting');
  const me = shallowRef<Principal | null>(null);
  /** The board as the server last said; `board` adds the commands awaiting their ack. */
  const confirmed = shallowRef<Board>(new Map());
  const pending = shallowRef<ReadonlyMap<string, Pending>>(new Map());
  const board = computed(() => overlay(confirmed.value, pending.value));
  const volunteers = shallowRef<ReadonlyMap<string, VolunteerView>>(new Map());
  const viewing = shallowRef<ReadonlyMap<string, Viewer[]>>(new Map());
  const notes = shallowRef<ReadonlyMap<string, Note[]>>(new Map());
  /** Offers to volunteers (派给志愿者) by order, as pushed or read: one per volunteer, the latest. */
  const offers = shallowRef<ReadonlyMap<string, Offer[]>>(new Map());
  const seq = ref<number | null>(null);
  const resyncCount = ref(0);
  /** Server clock minus ours: SLA timers count against the server's clock. */
  const serverOffsetMs = ref(0);

  const socket = shallowRef<DispatchSocket | null>(null);
  let held: Push[] = [];
  let resyncing = false;

  function applySnapshot(s: DispatchSnapshot): void {
    seq.value = s.seq;
    serverOffsetMs.value = s.at - Date.now();
    confirmed.value = boardOf(s.orders);
    volunteers.value = new Map(s.volunteers.map((v) => [v.id, v]));
    viewing.value = new Map(s.viewing.map((v) => [v.orderId, v.viewers]));
    const later = held.filter((p) => p.seq > s.seq).sort((a, b) => a.seq - b.seq);
    held = [];
    for (const p of later) receive(p);
  }

  function applyPush(p: Push): void {
    seq.value = p.seq;
    if ('order' in p) confirmed.value = mergeOrder(confirmed.value, p.order);
    else volunteers.value = new Map(volunteers.value).set(p.volunteer.id, p.volunteer);
  }

  function receive(p: Push): void {
    const verdict = resyncing ? 'gap' : classifySeq(seq.value, p.seq);
    if (verdict === 'apply') return applyPush(p);
    if (verdict === 'skip') return;
    held.push(p);
    if (held.length > HELD_CAP) held = held.slice(-HELD_CAP);
    // Before the first snapshot the connect's snapshot is on its way; otherwise ask for one.
    if (seq.value !== null) resync();
  }

  function resync(): void {
    const s = socket.value;
    if (!s || resyncing) return;
    resyncing = true;
    resyncCount.value += 1;
    s.timeout(RESYNC_TIMEOUT_MS).emit('dispatch:resync', (err: Error | null, result) => {
      resyncing = false;
      if (err) return console.warn('dispatch:resync timed out', err);
      if (!result.ok) return console.warn('dispatch:resync refused', result.error.code);
      applySnapshot(result.data);
    });
  }

  function onViewing(p: { orderId: string; viewers: Viewer[] }): void {
    const next = new Map(viewing.value);
    if (p.viewers.length === 0) next.delete(p.orderId);
    else next.set(p.orderId, p.viewers);
    viewing.value = next;
  }

  function addNotes(orderId: string, incoming: readonly Note[]): void {
    const known = notes.value.get(orderId) ?? [];
    const ids = new Set(known.map((n) => n.id));
    const merged = [...known, ...incoming.filter((n) => !ids.has(n.id))].sort((a, b) => a.at - b.at);
    notes.value = new Map(notes.value).set(orderId, merged);
  }

  function addOffers(orderId: string, incoming: readonly Offer[]): void {
    const byVolunteer = new Map((offers.value.get(orderId) ?? []).map((o) => [o.volunteerId, o]));
    for (const o of incoming) byVolunteer.set(o.volunteerId, o);
    offers.value = new Map(offers.value).set(
      orderId,
      [...byVolunteer.values()].sort((a, b) => a.at - b.at),
    );
  }

  const commands = useDispatchCommands({ socket, confirmed, pending, me, addNotes });

  /**
   * Counts the server's nudges that an activity of this desk's town changed (and reconnects, which
   * may have missed some): the activity desk re-reads its list when it moves.
   */
  const activityChanges = ref(0);

  /** Binds the socket's events to this store and connects; returns the unbinding function. */
  function bind(principal: Principal, target: DispatchSocket = createDispatchSocket()): () => void {
    me.value = principal;
    socket.value = target;
    const onConnect = () => (connection.value = 'connected');
    const onDisconnect = (reason: string) => {
      connection.value = 'disconnected';
      seq.value = null;
      held = [];
      resyncing = false;
      if (reason === 'io server disconnect') target.connect();
    };
    const onError = (err: Error) => (connection.value = isAuthRefusal(err) ? 'unauthorized' : 'disconnected');
    const onOrder = (p: { seq: number; order: OrderView }) => receive(p);
    const onVolunteer = (p: { seq: number; volunteer: VolunteerView }) => receive(p);
    const onNote = (n: Note) => addNotes(n.orderId, [n]);
    const onOffer = (o: Offer) => addOffers(o.orderId, [o]);
    const onActivity = () => (activityChanges.value += 1);
    target.on('connect', onConnect);
    target.on('disconnect', onDisconnect);
    target.on('connect_error', onError);
    target.on('dispatch:snapshot', applySnapshot);
    target.on('dispatch:order', onOrder);
    target.on('dispatch:volunteer', onVolunteer);
    target.on('dispatch:viewing', onViewing);
    target.on('dispatch:note', onNote);
    target.on('dispatch:offer', onOffer);
    target.on('dispatch:activity', onActivity);
    target.on('connect', onActivity);
    target.connect();
    return () => {
      target.off();
      target.disconnect();
      socket.value = null;
    };
  }

  return {
    connection,
    activityChanges,
    me,
    confirmed,
    pending,
    board,
    volunteers,
    viewing,
    notes,
    offers,
    addOffers,
    seq,
    resyncCount,
    serverOffsetMs,
    applySnapshot,
    receive,
    addNotes,
    bind,
    ...commands,
  };
});
