import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth.js';
import type { CommandAck, DispatchSnapshot, OrderCommandBody, OrderView } from '../../shared/dispatch.js';
import type { Places } from '../../shared/orders.js';
import type { DispatchSocket } from '../../client/dispatchSocket.js';
import { useDispatchStore } from '../../client/stores/dispatch.js';

const me: Principal = { kind: 'user', id: 'wang', name: '王', role: 'dispatcher', scope: 'district' };
const places: Places = { instituteOf: (_kind, id) => id };
const order = (over: Partial<OrderView> = {}): OrderView => ({
  id: 'ORD-1',
  state: 'accepted_by_center',
  version: 2,
  title: '助老理发',
  category: 'elderly',
  venueId: 'S010',
  instituteId: 'I02',
  stationId: '',
  assignee: null,
  createdAt: 1_000,
  stateEnteredAt: 1_000,
  dueAt: null,
  history: [],
  ...over,
});
const snapshot = (seq: number, orders: OrderView[]): DispatchSnapshot => ({
  seq,
  at: Date.now(),
  orders,
  volunteers: [],
  viewing: [],
});

type Ack = (err: Error | null, result: unknown) => void;

/** Enough of a socket.io client to drive the store; acks are answered by the test. */
function fakeSocket() {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const sent: { event: string; body: unknown; ack: Ack }[] = [];
  const socket = {
    connected: true,
    on: (name: string, fn: (...args: unknown[]) => void) => handlers.set(name, fn),
    off: () => handlers.clear(),
    connect: () => undefined,
    disconnect: () => undefined,
    emit: () => undefined,
    timeout: () => ({
      emit: (event: string, ...rest: unknown[]) => {
        const ack = rest.pop() as Ack;
        sent.push({ event, body: rest[0], ack });
      },
    }),
  };
  return {
    socket: socket as unknown as DispatchSocket,
    fire: (name: string, ...args: unknown[]) => handlers.get(name)?.(...args),
    sent,
    commands: () => sent.filter((s) => s.event === 'dispatch:command'),
  };
}

describe('dispatch store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('shows a command at once, and on a stale refusal rolls back to the server order with who changed it', () => {
    const store = useDispatchStore();
    const fake = fakeSocket();
    store.bind(me, fake.socket);
    fake.fire('dispatch:snapshot', snapshot(0, [order()]));
    expect(store.send(order(), { type: 'dispatch_institute', instituteId: 'I05' }, places)).toBe(true);
    expect(store.board.get('ORD-1')?.instituteId).toBe('I05');

    const theirs = order({
      version: 3,
      state: 'dispatched_institute',
      instituteId: 'I04',
      history: [
        {
          version: 3,
          from: 'accepted_by_center',
          to: 'dispatched_institute',
          at: 5,
          actor: '李',
          assignee: '',
          reason: '',
        },
      ],
    });
    const refusal: CommandAck = { ok: false, error: { code: 'ORDER_STALE_VERSION', message: 'stale', order: theirs } };
    fake.commands()[0]?.ack(null, refusal);
    expect(store.board.get('ORD-1')?.instituteId).toBe('I04');
    expect(store.pending.size).toBe(0);
    expect(store.refusals[0]).toMatchObject({ orderId: 'ORD-1', code: 'ORDER_STALE_VERSION', changedBy: '李' });
  });

  it('retries an unanswered command under the same id, and one command per order at a time', () => {
    const store = useDispatchStore();
    const fake = fakeSocket();
    store.bind(me, fake.socket);
    fake.fire('dispatch:snapshot', snapshot(0, [order()]));
    store.send(order(), { type: 'dispatch_institute', instituteId: 'I05' }, places);
    expect(store.send(order(), { type: 'reject' }, places)).toBe(false);
    expect(store.refusals[0]?.code).toBe('LOCAL_PENDING');

    fake.commands()[0]?.ack(new Error('operation has timed out'), undefined);
    const [first, second] = fake.commands().map((c) => (c.body as OrderCommandBody).commandId);
    expect(second).toBe(first);
    const accepted = order({ version: 3, state: 'dispatched_institute', instituteId: 'I05' });
    fake.commands()[1]?.ack(null, { ok: true, data: { order: accepted, replayed: true, warnings: [] } });
    expect(store.board.get('ORD-1')).toEqual(accepted);
    expect(store.pending.size).toBe(0);
  });

  it('applies pushes in sequence and answers a gap with a resync', () => {
    const store = useDispatchStore();
    const fake = fakeSocket();
    store.bind(me, fake.socket);
    fake.fire('dispatch:snapshot', snapshot(4, [order()]));
    fake.fire('dispatch:order', { seq: 5, order: order({ version: 3, state: 'dispatched_institute' }) });
    expect(store.board.get('ORD-1')?.version).toBe(3);
    fake.fire('dispatch:order', { seq: 7, order: order({ version: 5, state: 'claimed' }) });
    expect(store.board.get('ORD-1')?.version).toBe(3);
    const resync = fake.sent.find((s) => s.event === 'dispatch:resync');
    expect(resync).toBeDefined();
    resync?.ack(null, { ok: true, data: snapshot(6, [order({ version: 4, state: 'dispatched_station' })]) });
    // The held push 7 follows the snapshot at 6.
    expect(store.board.get('ORD-1')?.state).toBe('claimed');
    expect(store.seq).toBe(7);
    // A closed order leaves the board.
    fake.fire('dispatch:order', { seq: 8, order: order({ version: 6, state: 'cancelled' }) });
    expect(store.board.has('ORD-1')).toBe(false);
  });
});
