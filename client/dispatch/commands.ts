/**
 * What a dispatcher's gesture means as an order command: a drop of an order on a 所, 站, volunteer
 * or team, the "d" key (next step to the top candidate), and which plain actions the order's state
 * allows. Pure: the legality check is the shared state machine itself (`decide`), so the console
 * never offers a button the server would refuse as illegal.
 */
import type { OrderCommandBody, OrderView } from '../../shared/dispatch';
import type { OrderState } from '../../shared/events';
import {
  ActingLevel,
  CENTER_COMMANDS,
  decide,
  type Order,
  type OrderCommand,
  type Places,
  type Target,
} from '../../shared/orders';
import { randomUuid } from '../uuid';

/** Commands without a target, offered as buttons when legal. */
export const PLAIN_ACTIONS = ['accept', 'reject', 'start', 'complete', 'escalate', 'cancel'] as const;
export type PlainAction = (typeof PLAIN_ACTIONS)[number];

/** An order view as the state machine sees it (the view carries a few fields more). */
export const asOrder = (o: OrderView): Order => ({
  id: o.id,
  state: o.state,
  version: o.version,
  title: o.title,
  venueId: o.venueId,
  instituteId: o.instituteId,
  stationId: o.stationId,
  assignee: o.assignee,
  createdAt: o.createdAt,
  stateEnteredAt: o.stateEnteredAt,
});

/**
 * The client does not know every person's town: an unknown one is taken to be of the order's own
 * town (`home`), so the preview lets the command go and the server, which knows, decides.
 */
export const lenientPlaces = (towns: (kind: Target['kind'], id: string) => string | undefined, home = ''): Places => ({
  instituteOf: (kind, id) => towns(kind, id) ?? home,
});

/** The level a dispatcher acts at: the district's are the center, a town's its 所. */
export const actingLevel = (center: boolean): ActingLevel => (center ? ActingLevel.center : ActingLevel.town);

export function isLegal(order: OrderView, command: OrderCommand, places: Places, by: ActingLevel): boolean {
  return decide(asOrder(order), command, order.version, Date.now(), places, by).ok;
}

/**
 * Buttons the order's state allows to this dispatcher: the center's own steps (制单, 驳回, 派至所) only
 * for the district, since a town's dispatcher sees its town's new orders but cannot take them.
 */
export function legalActions(order: OrderView, places: Places, center: boolean): PlainAction[] {
  return PLAIN_ACTIONS.filter(
    (type) => (center || !CENTER_COMMANDS.includes(type)) && isLegal(order, { type }, places, actingLevel(center)),
  );
}

const ASSIGNED: readonly OrderState[] = ['dispatched_institute', 'dispatched_station', 'claimed', 'in_service'];

/**
 * The command a drop makes: the next step of 层层派单 when the target is that step (所 after 制单,
 * 站 after 派所, a person or team after 派站), otherwise a reassignment. Null when the order's
 * state takes no such target (e.g. a new 点单 must be 制单 first): the caller explains.
 */
export function commandForTarget(order: OrderView, target: Target): OrderCommand | null {
  if (holds(order, target)) return null;
  switch (target.kind) {
    case 'institute':
      if (order.state === 'accepted_by_center') return { type: 'dispatch_institute', instituteId: target.id };
      break;
    case 'station':
      if (order.state === 'dispatched_institute') return { type: 'dispatch_station', stationId: target.id };
      break;
    case 'volunteer':
    case 'team':
      if (order.state === 'dispatched_station')
        return { type: 'claim', assignee: { kind: target.kind, id: target.id } };
      break;
  }
  return ASSIGNED.includes(order.state) ? { type: 'reassign', target } : null;
}

/** Does the order already sit with this target? Moving it there again would only bump its version. */
export function holds(order: OrderView, target: Target): boolean {
  switch (target.kind) {
    case 'institute':
      return order.state === 'dispatched_institute' && order.instituteId === target.id;
    case 'station':
      return order.state === 'dispatched_station' && order.stationId === target.id;
    case 'volunteer':
    case 'team':
      return order.assignee?.kind === target.kind && order.assignee.id === target.id;
  }
}

/**
 * "d": the next step to the top candidate — an order the center holds goes to its own town's 所.
 * Never a reassignment of a staffed order: taking work off a person is a deliberate drag or click,
 * not a key pressed once too often (working the console, "d" twice moved a claimed order again).
 */
export function quickDispatch(order: OrderView, top: Target | null, center = true): OrderCommand | null {
  if (order.state === 'accepted_by_center') {
    return center ? { type: 'dispatch_institute', instituteId: order.instituteId } : null;
  }
  if (order.state === 'claimed' || order.state === 'in_service') return null;
  return top ? commandForTarget(order, top) : null;
}

/** A wire command: the order, the version the dispatcher saw, a fresh id. */
export function toBody(order: OrderView, command: OrderCommand, commandId: string, note?: string): OrderCommandBody {
  const base = { commandId, orderId: order.id, expectedVersion: order.version, ...(note ? { note } : {}) };
  return { ...base, ...command };
}

/** A command's id: a v4 UUID (client/uuid.ts), kept until the server answers. */
export const newCommandId = randomUuid;
