/**
 * The order state machine of 群众点单 → 中心制单 → 层层派单 → 志愿者接单, pure: `decide` checks a command
 * against an order and answers the transition (or a refusal with a stable code), `apply` folds a
 * transition into the order. No I/O: the server serializes commands per order and persists what
 * `decide` answers; the same rules run in tests and could run in the client for previews.
 */
import type { OrderState } from './events.js';
import type { RefusalCode } from './codes.js';
import { fail, ok, type Result } from './result.js';

export const OrderCommandType = {
  /** 中心制单: the center takes the citizen's request. */
  accept: 'accept',
  reject: 'reject',
  /** 层层派单, first level: center → a town's 所. */
  dispatchInstitute: 'dispatch_institute',
  /** Second level: 所 → one of its 站. */
  dispatchStation: 'dispatch_station',
  /** 接单: a volunteer or a team takes the order. */
  claim: 'claim',
  /** Move an assigned order to another 所, 站, volunteer or team. */
  reassign: 'reassign',
  start: 'start',
  complete: 'complete',
  rate: 'rate',
  cancel: 'cancel',
  /** A level did not act in time: the order goes back up one level. */
  escalate: 'escalate',
  /** Nobody took the order in time: closed unserved. */
  expire: 'expire',
} as const;
export type OrderCommandType = (typeof OrderCommandType)[keyof typeof OrderCommandType];

export const AssigneeKind = { volunteer: 'volunteer', team: 'team' } as const;
export type AssigneeKind = (typeof AssigneeKind)[keyof typeof AssigneeKind];
export interface Assignee {
  kind: AssigneeKind;
  id: string;
}

export const TargetKind = { institute: 'institute', station: 'station', ...AssigneeKind } as const;
export type TargetKind = (typeof TargetKind)[keyof typeof TargetKind];
export interface Target {
  kind: TargetKind;
  id: string;
}

/** A command as the state machine sees it (the wire form in dispatch.ts adds ids and versions). */
export type OrderCommand =
  | { type: 'accept' | 'start' | 'complete' | 'escalate' | 'expire' }
  | { type: 'reject' | 'cancel'; reason?: string }
  | { type: 'dispatch_institute'; instituteId: string }
  | { type: 'dispatch_station'; stationId: string }
  | { type: 'claim'; assignee: Assignee }
  | { type: 'reassign'; target: Target }
  | { type: 'rate'; score: number };

export interface Order {
  id: string;
  state: OrderState;
  /** Version of the last transition: 1 after the request; every accepted command adds one. */
  version: number;
  title: string;
  /** Where the service is wanted: a 站 or a 点. */
  venueId: string;
  /** The town (所) holding the order now; starts as the venue's. */
  instituteId: string;
  /** The 站 it was dispatched to; '' before that. */
  stationId: string;
  assignee: Assignee | null;
  createdAt: number;
  stateEnteredAt: number;
}

export interface Transition {
  orderId: string;
  command: OrderCommandType;
  from: OrderState;
  to: OrderState;
  version: number;
  at: number;
  instituteId: string;
  stationId: string;
  assignee: Assignee | null;
  /** Who the transition frees (the order closed or moved away from them); null when nobody. */
  freed: Assignee | null;
}

/** Where nodes and people belong, looked up by the caller (the network, the volunteer registry). */
export interface Places {
  /** The 所 of an institute, station, volunteer or team id; undefined when unknown or of another kind. */
  instituteOf(kind: TargetKind, id: string): string | undefined;
}

export const OrderCode = {
  illegalTransition: 'ORDER_ILLEGAL_TRANSITION',
  staleVersion: 'ORDER_STALE_VERSION',
  unknownTarget: 'ORDER_UNKNOWN_TARGET',
  outOfTown: 'ORDER_TARGET_OUT_OF_TOWN',
  invalidScore: 'ORDER_INVALID_SCORE',
} as const satisfies Record<string, RefusalCode>;
export type OrderCode = (typeof OrderCode)[keyof typeof OrderCode];

/** 群众点单 → 中心制单 → 层层派单 → 志愿者接单 → 服务 → 完成 → 评价: an order's states when nothing goes wrong, in order. */
export const HAPPY_PATH: readonly OrderState[] = [
  'requested',
  'accepted_by_center',
  'dispatched_institute',
  'dispatched_station',
  'claimed',
  'in_service',
  'completed',
  'rated',
];
export const CLOSED_STATES: readonly OrderState[] = ['completed', 'rated', 'rejected', 'cancelled', 'expired'];
/** The open states in flow order. */
export const OPEN_STATES: readonly OrderState[] = HAPPY_PATH.filter((s) => !CLOSED_STATES.includes(s));
/** The side exits: closed states off the happy path (驳回, 取消, 超时). */
export const EXIT_STATES: readonly OrderState[] = CLOSED_STATES.filter((s) => !HAPPY_PATH.includes(s));
/** States holding a 所, 站, volunteer or team: reassign applies. */
export const ASSIGNED_STATES: readonly OrderState[] = [
  'dispatched_institute',
  'dispatched_station',
  'claimed',
  'in_service',
];
/** States where someone is on the order. */
export const STAFFED_STATES: readonly OrderState[] = ['claimed', 'in_service'];
export const isClosed = (state: OrderState): boolean => CLOSED_STATES.includes(state);
export const isOpen = (state: OrderState): boolean => !isClosed(state);

/** What each command may start from and where it goes (reassign's target depends on the command). */
const FROM: Record<OrderCommandType, readonly OrderState[]> = {
  accept: ['requested'],
  reject: ['requested', 'accepted_by_center'],
  dispatch_institute: ['accepted_by_center'],
  dispatch_station: ['dispatched_institute'],
  claim: ['dispatched_station'],
  reassign: ASSIGNED_STATES,
  start: ['claimed'],
  complete: ['in_service'],
  rate: ['completed'],
  cancel: ['requested', 'accepted_by_center', 'dispatched_institute', 'dispatched_station', 'claimed'],
  escalate: ['dispatched_institute', 'dispatched_station'],
  expire: ['requested', 'accepted_by_center', 'dispatched_institute', 'dispatched_station'],
};

const TARGET_STATE: Record<TargetKind, OrderState> = {
  institute: 'dispatched_institute',
  station: 'dispatched_station',
  volunteer: 'claimed',
  team: 'claimed',
};

/**
 * Who gives a command, as far as towns go: the center (district scope) may move an order across
 * towns; a town's 所 acts only inside its own. An order dispatched to 所 I03 and on to 站 S026 was
 * claimed by a volunteer of the venue's town I06 (the candidates came from the venue's station),
 * so 接单 always stays in the town the order was dispatched to, and only the center reassigns an
 * order to another town's unit or people.
 */
export const ActingLevel = { center: 'center', town: 'town' } as const;
export type ActingLevel = (typeof ActingLevel)[keyof typeof ActingLevel];

/** Commands only the center (district scope) gives: they act before the order reaches a town. */
export const CENTER_COMMANDS: readonly OrderCommandType[] = ['accept', 'reject', 'dispatch_institute'];

/**
 * Checks `command`, given `by` the center or a town, against `order` as of `expectedVersion` and
 * answers the transition it makes. Refusals: a stale version, a command illegal in the order's
 * state, an unknown target, a 站 or person outside the order's town for a town-level step (派站,
 * 接单, and a town's reassignment).
 */
export function decide(
  order: Order,
  command: OrderCommand,
  expectedVersion: number,
  now: number,
  places: Places,
  by: ActingLevel,
): Result<Transition> {
  if (expectedVersion !== order.version) {
    return fail(OrderCode.staleVersion, `order ${order.id} is at version ${order.version}, not ${expectedVersion}`);
  }
  if (!FROM[command.type].includes(order.state)) {
    return fail(OrderCode.illegalTransition, `cannot ${command.type} an order that is ${order.state}`);
  }
  const base = { instituteId: order.instituteId, stationId: order.stationId, assignee: order.assignee };
  const next = nextOf(order, command, base, places, by);
  if (!next.ok) return next;
  const { to, instituteId, stationId, assignee } = next.data;
  const before = order.assignee;
  const keeps = before !== null && assignee !== null && before.kind === assignee.kind && before.id === assignee.id;
  return ok({
    orderId: order.id,
    command: command.type,
    from: order.state,
    to,
    version: order.version + 1,
    at: now,
    instituteId,
    stationId,
    assignee: isClosed(to) ? null : assignee,
    freed: before !== null && (isClosed(to) || !keeps) ? before : null,
  });
}

interface Next {
  to: OrderState;
  instituteId: string;
  stationId: string;
  assignee: Assignee | null;
}

function nextOf(
  order: Order,
  command: OrderCommand,
  base: Omit<Next, 'to'>,
  places: Places,
  by: ActingLevel,
): Result<Next> {
  switch (command.type) {
    case 'accept':
      return ok({ ...base, to: 'accepted_by_center' });
    case 'reject':
      return ok({ ...base, to: 'rejected' });
    case 'cancel':
      return ok({ ...base, to: 'cancelled' });
    case 'expire':
      return ok({ ...base, to: 'expired' });
    case 'start':
      return ok({ ...base, to: 'in_service' });
    case 'complete':
      return ok({ ...base, to: 'completed' });
    case 'rate':
      if (!Number.isInteger(command.score) || command.score < 1 || command.score > 5) {
        return fail(OrderCode.invalidScore, 'a rating is a whole number from 1 to 5');
      }
      return ok({ ...base, to: 'rated' });
    case 'escalate':
      // 站 did not claim → back to its 所; 所 did not dispatch → back to the center.
      return order.state === 'dispatched_station'
        ? ok({ ...base, to: 'dispatched_institute', stationId: '' })
        : ok({ ...base, to: 'accepted_by_center', instituteId: order.instituteId, stationId: '' });
    case 'dispatch_institute':
      return toTarget(order, { kind: 'institute', id: command.instituteId }, base, places, false);
    case 'dispatch_station':
      return toTarget(order, { kind: 'station', id: command.stationId }, base, places, true);
    case 'claim':
      return toTarget(order, command.assignee, base, places, true);
    case 'reassign':
      return toTarget(order, command.target, base, places, by === ActingLevel.town);
  }
}

/** Moves the order to a 所, 站, volunteer or team; `sameTown` keeps a town-level step inside the order's town. */
function toTarget(
  order: Order,
  target: Target,
  base: Omit<Next, 'to'>,
  places: Places,
  sameTown: boolean,
): Result<Next> {
  const town = places.instituteOf(target.kind, target.id);
  if (town === undefined) return fail(OrderCode.unknownTarget, `no ${target.kind} ${target.id}`);
  if (sameTown && town !== order.instituteId) {
    return fail(OrderCode.outOfTown, `${target.kind} ${target.id} is not in town ${order.instituteId}`);
  }
  const to = TARGET_STATE[target.kind];
  switch (target.kind) {
    case 'institute':
      return ok({ to, instituteId: town, stationId: '', assignee: null });
    case 'station':
      return ok({ to, instituteId: town, stationId: target.id, assignee: null });
    case 'volunteer':
    case 'team':
      // A helper the center sends from another town serves the order where it is: it stays in its town.
      return ok({ ...base, to, assignee: { kind: target.kind, id: target.id } });
  }
}

/** Folds an accepted transition into its order. */
export function apply(order: Order, t: Transition): Order {
  return {
    ...order,
    state: t.to,
    version: t.version,
    instituteId: t.instituteId,
    stationId: t.stationId,
    assignee: t.assignee,
    stateEnteredAt: t.at,
  };
}

/** A fresh order (群众点单), version 1. */
export function request(id: string, title: string, venueId: string, instituteId: string, at: number): Order {
  return {
    id,
    state: 'requested',
    version: 1,
    title,
    venueId,
    instituteId,
    stationId: '',
    assignee: null,
    createdAt: at,
    stateEnteredAt: at,
  };
}
