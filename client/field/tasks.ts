/**
 * The volunteer's tasks, live over `/field`: the snapshot on every (re)connect replaces the list,
 * pushes update it, and a new offer rings (ring.ts). A cancelled activity I signed up for is kept
 * for the shell's banner. Steps and declines go out as socket events with
 * acks; the answer (or the refusal's code) comes back to the page.
 */
import { defineStore } from 'pinia';
import { io, type Socket } from 'socket.io-client';
import { computed, ref, shallowRef } from 'vue';
import type {
  ActivityPush,
  FIELD_NAMESPACE,
  FieldClientToServer,
  FieldServerToClient,
  FieldSnapshot,
  FieldStep,
  Offer,
  Task,
} from '../../shared/field';
import type { Result } from '../../shared/result';
// Not crypto.randomUUID: it exists only in secure contexts, and phones reach a LAN server over http.
import { newCommandId } from '../dispatch/commands';
import { ring } from './ring';

type FieldSocket = Socket<FieldServerToClient, FieldClientToServer>;
export type FieldConnection = 'connecting' | 'connected' | 'disconnected';

// Checked against the shared constant's type: a renamed namespace fails the type check.
const NAMESPACE: typeof FIELD_NAMESPACE = '/field';
const ACK_TIMEOUT_MS = 10_000;
const noAnswer = { ok: false as const, error: { code: 'LOCAL_NO_ANSWER', message: 'no answer' } };

export const useFieldTasks = defineStore('fieldTasks', () => {
  const tasks = shallowRef<ReadonlyMap<string, Task>>(new Map());
  const connection = ref<FieldConnection>('connecting');
  /** The offer that rang last, for the banner; cleared when opened or gone. */
  const ringing = shallowRef<Task | null>(null);
  /** An activity I signed up for that its organiser cancelled, for the banner; cleared when read. */
  const cancelledActivity = shallowRef<ActivityPush | null>(null);
  const list = computed(() => [...tasks.value.values()].sort((a, b) => b.createdAt - a.createdAt));
  let socket: FieldSocket | null = null;

  const put = (task: Task) => (tasks.value = new Map(tasks.value).set(task.orderId, task));
  const drop = (orderId: string) => {
    const next = new Map(tasks.value);
    next.delete(orderId);
    tasks.value = next;
    if (ringing.value?.orderId === orderId) ringing.value = null;
  };

  function connect(): void {
    if (socket) return;
    const s: FieldSocket = io(NAMESPACE, { autoConnect: false, withCredentials: true, reconnectionDelayMax: 10_000 });
    socket = s;
    s.on('connect', () => (connection.value = 'connected'));
    s.on('disconnect', (reason) => {
      connection.value = 'disconnected';
      // The server closed it: a logout or a disabled account; the shell's check sends them to the login.
      if (reason === 'io server disconnect') window.dispatchEvent(new Event('field:ended'));
    });
    s.on('connect_error', () => (connection.value = 'disconnected'));
    s.on('field:snapshot', (snap: FieldSnapshot) => (tasks.value = new Map(snap.tasks.map((t) => [t.orderId, t]))));
    s.on('field:offer', (task) => {
      put(task);
      ringing.value = task;
      ring();
    });
    s.on('field:task', put);
    s.on('field:gone', ({ orderId }) => drop(orderId));
    s.on('field:activity', (push) => (cancelledActivity.value = push));
    s.connect();
  }

  function disconnect(): void {
    socket?.off();
    socket?.disconnect();
    socket = null;
    tasks.value = new Map();
    ringing.value = null;
    cancelledActivity.value = null;
  }

  /** A step on a task at the version the phone shows (a stale one is refused ORDER_STALE_VERSION). */
  function step(type: FieldStep['type'], task: Task, note = ''): Promise<Result<Task>> {
    const s = socket;
    if (!s) return Promise.resolve(noAnswer);
    const ids = { orderId: task.orderId, expectedVersion: task.version, commandId: newCommandId() };
    const sent: FieldStep = type === 'complete' && note !== '' ? { ...ids, type, note } : { ...ids, type };
    return new Promise((resolve) =>
      s.timeout(ACK_TIMEOUT_MS).emit('field:step', sent, (err: Error | null, answer: Result<Task>) => {
        if (err) return resolve(noAnswer);
        if (answer.ok) put(answer.data);
        resolve(answer);
      }),
    );
  }

  function decline(orderId: string, reason: string): Promise<Result<Offer>> {
    const s = socket;
    if (!s) return Promise.resolve(noAnswer);
    return new Promise((resolve) =>
      s
        .timeout(ACK_TIMEOUT_MS)
        .emit('field:decline', { orderId, reason }, (err: Error | null, answer: Result<Offer>) => {
          if (err) return resolve(noAnswer);
          if (answer.ok) drop(orderId);
          resolve(answer);
        }),
    );
  }

  return { tasks, list, connection, ringing, cancelledActivity, connect, disconnect, step, decline };
});
