/**
 * The dispatch store's outgoing half: commands with an optimistic overlay, acks, retries and
 * rollbacks; 点单 taken by phone; notes, presence and candidate queries. A command keeps its id across retries, so an
 * ack lost to a timeout or a reconnect is answered again by the server instead of applied twice.
 */
import { ref, type Ref, type ShallowRef } from 'vue';
import { canActOn, type Principal } from '../../shared/auth';
import type { Candidate, CommandAck, Note, OrderRequestBody, OrderView } from '../../shared/dispatch';
import type { OrderCommand, Places } from '../../shared/orders';
import type { LocalCode as LocalCodeName } from '../../shared/codes';
import type { Result } from '../../shared/result';
import type { DispatchSocket } from '../dispatchSocket';
import { actingLevel, newCommandId, toBody } from './commands';
import { explainRefusal, mergeOrder, predict, type Board, type Pending, type Refusal } from './merge';

/** Long enough for a command through the write-ahead log under load; no answer then = retry. */
const ACK_TIMEOUT_MS = 8000;
const MAX_ATTEMPTS = 4;
const REFUSALS_KEPT = 20;
const QUERY_TIMEOUT_MS = 10_000;

export interface Notice {
  orderId: string;
  code: string;
  message: string;
  at: number;
}

interface Deps {
  socket: ShallowRef<DispatchSocket | null>;
  confirmed: ShallowRef<Board>;
  pending: ShallowRef<ReadonlyMap<string, Pending>>;
  me: ShallowRef<Principal | null>;
  addNotes: (orderId: string, notes: readonly Note[]) => void;
}

/** Local refusals use codes of their own (never sent): one command at a time per order, no answer. */
export const LocalCode = {
  busy: 'LOCAL_PENDING',
  noAnswer: 'LOCAL_NO_ANSWER',
  offline: 'LOCAL_OFFLINE',
  sameTarget: 'LOCAL_SAME_TARGET',
  staffed: 'LOCAL_STAFFED',
  centerOnly: 'LOCAL_CENTER_ONLY',
  noTarget: 'LOCAL_NO_TARGET',
} as const satisfies Record<string, LocalCodeName>;

export function useDispatchCommands({ socket, confirmed, pending, me, addNotes }: Deps) {
  const refusals: Ref<Refusal[]> = ref([]);
  const warnings: Ref<Notice[]> = ref([]);

  const refuse = (r: Refusal) => (refusals.value = [r, ...refusals.value].slice(0, REFUSALS_KEPT));
  const localRefusal = (orderId: string, code: LocalCodeName, message: string) =>
    refuse({ orderId, code, message, current: null, changedBy: null, changedAt: null, at: Date.now() });

  function settle(orderId: string): void {
    const next = new Map(pending.value);
    next.delete(orderId);
    pending.value = next;
  }

  function onAck(orderId: string, ack: CommandAck): void {
    settle(orderId);
    if (ack.ok) {
      confirmed.value = mergeOrder(confirmed.value, ack.data.order);
      const at = Date.now();
      const notices = ack.data.warnings.map((w) => ({ orderId, ...w, at }));
      if (notices.length > 0) warnings.value = [...notices, ...warnings.value].slice(0, REFUSALS_KEPT);
      return;
    }
    // The rollback is the settle above; the server's current order (if sent) replaces ours.
    if (ack.error.order) confirmed.value = mergeOrder(confirmed.value, ack.error.order);
    refuse(explainRefusal(orderId, ack.error, Date.now()));
  }

  function emit(orderId: string): void {
    const s = socket.value;
    const p = pending.value.get(orderId);
    if (!s || !p) return;
    pending.value = new Map(pending.value).set(orderId, { ...p, attempts: p.attempts + 1 });
    s.timeout(ACK_TIMEOUT_MS).emit('dispatch:command', p.body, (err: Error | null, ack: CommandAck) => {
      if (!err) return onAck(orderId, ack);
      const now = pending.value.get(orderId);
      if (now?.body.commandId !== p.body.commandId) return;
      if (now.attempts < MAX_ATTEMPTS) return emit(orderId);
      settle(orderId);
      localRefusal(orderId, LocalCode.noAnswer, 'no answer from the server');
    });
  }

  /**
   * Sends `command` for `order` as the dispatcher sees it. Answers false when it was refused before
   * sending (an illegal step, another command on the order still unanswered, no connection).
   */
  function send(order: OrderView, command: OrderCommand, places: Places, note?: string): boolean {
    if (pending.value.has(order.id)) {
      localRefusal(order.id, LocalCode.busy, 'a command on this order awaits its answer');
      return false;
    }
    // Disconnected is not refused: socket.io sends the command on reconnect, and a version the
    // other dispatchers moved past meanwhile is refused then, with the current order.
    if (!socket.value) {
      localRefusal(order.id, LocalCode.offline, 'not connected');
      return false;
    }
    const by = actingLevel(me.value !== null && canActOn(me.value, ''));
    const predicted = predict(order, command, me.value?.name ?? '', Date.now(), places, by);
    if (!predicted.ok) {
      refuse(explainRefusal(order.id, predicted.error, Date.now()));
      return false;
    }
    const body = toBody(order, command, newCommandId(), note);
    const entry: Pending = { body, before: order, predicted: predicted.data, attempts: 0 };
    pending.value = new Map(pending.value).set(order.id, entry);
    emit(order.id);
    return true;
  }

  function view(orderId: string | null): void {
    socket.value?.emit('dispatch:view', orderId);
  }

  const offline = { ok: false, error: { code: LocalCode.offline, message: 'not connected' } } as const;
  const noAnswer = (err: Error) => ({ ok: false, error: { code: LocalCode.noAnswer, message: err.message } }) as const;

  function sendNote(orderId: string, text: string): Promise<Result<Note>> {
    return new Promise((resolve) => {
      const s = socket.value;
      if (!s) return resolve(offline);
      s.timeout(QUERY_TIMEOUT_MS).emit('dispatch:note', { orderId, text }, (err: Error | null, r: Result<Note>) => {
        if (!err && r.ok) addNotes(orderId, [r.data]);
        resolve(err ? noAnswer(err) : r);
      });
    });
  }

  function candidates(orderId: string, limit = 12): Promise<Result<Candidate[]>> {
    return new Promise((resolve) => {
      const s = socket.value;
      if (!s) return resolve(offline);
      s.timeout(QUERY_TIMEOUT_MS).emit(
        'dispatch:candidates',
        { orderId, limit },
        (err: Error | null, r: Result<Candidate[]>) => resolve(err ? noAnswer(err) : r),
      );
    });
  }

  /** 群众点单 taken by phone; the caller keeps `body.commandId` for a retry, so a lost answer never makes two orders. */
  function requestOrder(body: OrderRequestBody): Promise<CommandAck> {
    return new Promise((resolve) => {
      const s = socket.value;
      if (!s) return resolve(offline);
      s.timeout(QUERY_TIMEOUT_MS).emit('dispatch:request', body, (err: Error | null, r: CommandAck) =>
        resolve(err ? noAnswer(err) : r),
      );
    });
  }

  const dismiss = (r: Refusal) => (refusals.value = refusals.value.filter((x) => x !== r));

  return { refusals, warnings, send, view, sendNote, candidates, requestOrder, dismiss, localRefusal };
}
