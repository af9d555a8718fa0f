/**
 * The phone app's socket namespace `/field`: a volunteer's own tasks, live. Each socket joins the
 * room of its volunteer's id and nothing else; on connect (and on `field:resync`) it gets its tasks
 * whole, so a reconnect resyncs. Pushes go to this node's phones only (`local`): with several nodes
 * every node follows every change (dispatch/changes.ts) and tells its own phones. Every step (accept = `claim` with me as the assignee, start,
 * complete) is a command through the dispatch service with the volunteer as the actor: the version
 * check, the ownership rule (decide-command.ts) and the audit apply as to any dispatcher's.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Namespace, Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import type { Principal } from '../../shared/auth.js';
import type { OrderCommandBody, OrderView } from '../../shared/dispatch.js';
import {
  DeclineBodySchema,
  FieldStepSchema,
  type FieldClientToServer,
  type FieldServerToClient,
  type FieldSnapshot,
  type FieldStep,
  type Task,
} from '../../shared/field.js';
import type { NetworkNode } from '../../shared/network.js';
import { fail, ok } from '../../shared/result.js';
import type { SocketAuth } from '../auth/rooms.js';
import type { DispatchService } from '../dispatch/service.js';

type FieldNamespace = Namespace<FieldClientToServer, FieldServerToClient>;
type FieldSocket = Socket<FieldClientToServer, FieldServerToClient>;

const stepCheck = Compile(FieldStepSchema);
const declineCheck = Compile(DeclineBodySchema);
/** A volunteer's room on `/field`: every phone they are logged in on, on every node. */
export const roomOf = (volunteerId: string): string => `field:${volunteerId}`;
const invalid = (what: string) => fail('REQ_VALIDATION', `${what} does not match the field contract`);

/** The dispatch command a phone's step stands for. */
function commandOf(me: string, step: FieldStep): OrderCommandBody {
  const ids = { commandId: step.commandId, orderId: step.orderId, expectedVersion: step.expectedVersion };
  switch (step.type) {
    case 'accept':
      return { ...ids, type: 'claim', assignee: { kind: 'volunteer', id: me } };
    case 'start':
      return { ...ids, type: 'start' };
    case 'complete':
      return { ...ids, type: 'complete', ...(step.note ? { note: step.note } : {}) };
  }
}

export function serveField(
  ns: FieldNamespace,
  service: DispatchService,
  nodes: ReadonlyMap<string, NetworkNode>,
  log: Logger,
): () => void {
  /** order id → the volunteers whose phones show it now: told `field:gone` when it leaves them. */
  const shown = new Map<string, Set<string>>();
  const name = (id: string) => nodes.get(id)?.name ?? '';
  const taskOf = (order: OrderView, volunteerId: string): Task => {
    const offer = service.openOffer(order.id, volunteerId);
    return {
      orderId: order.id,
      title: order.title,
      category: order.category,
      state: order.state,
      version: order.version,
      venueId: order.venueId,
      venueName: name(order.venueId),
      stationName: name(order.stationId),
      createdAt: order.createdAt,
      offer: offer ? { at: offer.at, by: offer.by.name } : null,
    };
  };
  const show = (orderId: string, volunteerId: string, on: boolean): void => {
    const set = shown.get(orderId) ?? new Set<string>();
    if (on) set.add(volunteerId);
    else set.delete(volunteerId);
    if (set.size > 0) shown.set(orderId, set);
    else shown.delete(orderId);
  };
  const snapshot = (volunteerId: string): FieldSnapshot => {
    const tasks = service.tasksOf(volunteerId).map((order) => taskOf(order, volunteerId));
    for (const t of tasks) show(t.orderId, volunteerId, true);
    return { at: service.now(), tasks };
  };

  const unsubscribe = service.subscribe({
    order(order) {
      const concerned = new Set(
        service
          .offersOn(order.id)
          .filter((o) => o.status === 'open')
          .map((o) => o.volunteerId),
      );
      if (order.assignee?.kind === 'volunteer') concerned.add(order.assignee.id);
      for (const id of concerned) {
        ns.local.to(roomOf(id)).emit('field:task', taskOf(order, id));
        show(order.id, id, true);
      }
      for (const id of shown.get(order.id) ?? []) {
        if (concerned.has(id)) continue;
        ns.local.to(roomOf(id)).emit('field:gone', { orderId: order.id, state: order.state });
        show(order.id, id, false);
      }
    },
    volunteer() {
      // A volunteer's status is the console's view; the phone shows tasks.
    },
    offer(offer) {
      const order = service.order(offer.orderId);
      if (offer.status === 'open' && order) {
        ns.local.to(roomOf(offer.volunteerId)).emit('field:offer', taskOf(order, offer.volunteerId));
        show(offer.orderId, offer.volunteerId, true);
      } else if (offer.status !== 'accepted') {
        ns.local
          .to(roomOf(offer.volunteerId))
          .emit('field:gone', { orderId: offer.orderId, state: order?.state ?? '' });
        show(offer.orderId, offer.volunteerId, false);
      }
    },
  });

  ns.on('connection', (socket: FieldSocket) => {
    const me: Principal = (socket.data as SocketAuth).principal;
    void socket.join(roomOf(me.id));
    socket.emit('field:snapshot', snapshot(me.id));
    socket.on('field:resync', (ack) => {
      if (typeof ack === 'function') ack(ok(snapshot(me.id)));
    });
    socket.on('field:step', (step, ack) => {
      if (typeof ack !== 'function') return;
      if (!stepCheck.Check(step)) return ack(invalid('step'));
      service.command(me, commandOf(me.id, step)).then(
        (answer) => ack(answer.ok ? ok(taskOf(answer.data.order, me.id)) : answer),
        (error: unknown) => {
          log.error({ err: error }, 'field step failed');
          ack(fail('INTERNAL', 'internal error'));
        },
      );
    });
    socket.on('field:decline', (body, ack) => {
      if (typeof ack !== 'function') return;
      if (!declineCheck.Check(body)) return ack(invalid('decline'));
      service.decline(me, body.orderId, body.reason).then(ack, (error: unknown) => {
        log.error({ err: error }, 'field decline failed');
        ack(fail('INTERNAL', 'internal error'));
      });
    });
  });
  return unsubscribe;
}
