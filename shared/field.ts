/**
 * The phone app's live contract (`/field`): offers (派给志愿者 — a dispatcher proposes an order to a
 * volunteer with an account; the order's state machine does not move until they accept, which is
 * the `claim` command), the volunteer's tasks, and the typed Socket.IO maps. A volunteer's socket
 * is in the room of their own id only: they receive their offers and the orders on them.
 */
import { Type, type Static } from 'typebox';
import type { OrderState } from './events.js';
import type { RefusalCode } from './codes.js';
import type { Assignee } from './orders.js';
import type { Result } from './result.js';

export const FIELD_NAMESPACE = '/field';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const strict = { additionalProperties: false } as const;
const Text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F]*$' });

export const OfferStatus = {
  open: 'open',
  accepted: 'accepted',
  declined: 'declined',
  withdrawn: 'withdrawn',
} as const;
export type OfferStatus = (typeof OfferStatus)[keyof typeof OfferStatus];

export const OfferSchema = Type.Object({
  orderId: Type.String(),
  volunteerId: Type.String(),
  /** Masked (张*伟): offers go to every dispatcher of the order's town. */
  volunteerName: Type.String(),
  by: Type.Object({ id: Type.String(), name: Type.String() }),
  at: Type.Integer(),
  status: Type.Enum(Object.values(OfferStatus)),
  /** Why it was declined; '' otherwise. */
  reason: Type.String(),
  /** When it left `open`; null while open. */
  closedAt: Type.Union([Type.Integer(), Type.Null()]),
});
export type Offer = Static<typeof OfferSchema>;

/** `POST /api/v1/orders/:id/offers`: offer an order to a volunteer who has the app. */
export const OfferBodySchema = Type.Object({ volunteerId: Id }, strict);
export type OfferBody = Static<typeof OfferBodySchema>;

/** What happens to an open offer when its order changes: still open, accepted by its volunteer, or withdrawn. */
export function offerAfter(
  offer: Pick<Offer, 'status' | 'volunteerId'>,
  order: { state: OrderState; assignee: Assignee | null },
): OfferStatus {
  if (offer.status !== 'open') return offer.status;
  const mine = order.assignee?.kind === 'volunteer' && order.assignee.id === offer.volunteerId;
  if (mine) return 'accepted';
  // Only a 站's order waiting for 接单 can be claimed (shared/orders.ts: claim from dispatched_station).
  return order.state === 'dispatched_station' ? 'open' : 'withdrawn';
}

export const FieldCode = {
  notYours: 'FIELD_NOT_YOURS',
  noApp: 'FIELD_NO_APP',
  noOffer: 'FIELD_OFFER_NOT_FOUND',
} as const satisfies Record<string, RefusalCode>;

/**
 * Why a volunteer may not give this command on this order, or null when they may: they accept
 * (claim for themself) only an order offered to them, and start or complete only an order on them;
 * nothing else (no dispatching, reassigning, cancelling or rating).
 */
export function volunteerRefusal(
  volunteerId: string,
  command: { type: string; assignee?: Assignee },
  order: { id: string; assignee: Assignee | null },
  offered: boolean,
): string | null {
  const onMe = order.assignee?.kind === 'volunteer' && order.assignee.id === volunteerId;
  switch (command.type) {
    case 'claim': {
      const forMe = command.assignee?.kind === 'volunteer' && command.assignee.id === volunteerId;
      return forMe && offered ? null : `order ${order.id} is not offered to ${volunteerId}`;
    }
    case 'start':
    case 'complete':
      return onMe ? null : `order ${order.id} is not on ${volunteerId}`;
    default:
      return `a volunteer may not ${command.type} an order`;
  }
}

/** One of the volunteer's tasks: an order offered to them or on them, as their phone shows it. */
export const TaskSchema = Type.Object({
  orderId: Type.String(),
  /** Masked like the console's (a phone number typed into it is not shown). */
  title: Type.String(),
  category: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
  venueId: Type.String(),
  venueName: Type.String(),
  stationName: Type.String(),
  createdAt: Type.Integer(),
  /** The open offer to this volunteer; null once it is theirs. */
  offer: Type.Union([Type.Object({ at: Type.Integer(), by: Type.String() }), Type.Null()]),
});
export type Task = Static<typeof TaskSchema>;

export const FieldSnapshotSchema = Type.Object({ at: Type.Integer(), tasks: Type.Array(TaskSchema) });
export type FieldSnapshot = Static<typeof FieldSnapshotSchema>;

const step = { orderId: Id, commandId: Type.String({ format: 'uuid' }), expectedVersion: Type.Integer({ minimum: 1 }) };
/** Accept an offer (the `claim` command with me as the assignee), start, or complete with a note. */
export const FieldStepSchema = Type.Union([
  Type.Object({ ...step, type: Type.Literal('accept') }, strict),
  Type.Object({ ...step, type: Type.Literal('start') }, strict),
  Type.Object({ ...step, type: Type.Literal('complete'), note: Type.Optional(Text(0, 200)) }, strict),
]);
export type FieldStep = Static<typeof FieldStepSchema>;
export const DeclineBodySchema = Type.Object({ orderId: Id, reason: Text(1, 200) }, strict);
export type DeclineBody = Static<typeof DeclineBodySchema>;

/** An activity I signed up for was cancelled by its organiser: the phone says so and drops it. */
export const ActivityPushSchema = Type.Object({
  activityId: Id,
  title: Type.String(),
  startsAt: Type.Integer(),
  status: Type.Literal('cancelled'),
});
export type ActivityPush = Static<typeof ActivityPushSchema>;

export interface FieldServerToClient {
  'field:snapshot': (snapshot: FieldSnapshot) => void;
  /** A new offer: the phone rings. */
  'field:offer': (task: Task) => void;
  /** A task changed (accepted, started, …). */
  'field:task': (task: Task) => void;
  /** A task left this volunteer: offer withdrawn or declined, order closed or moved to someone else. */
  'field:gone': (push: { orderId: string; state: string }) => void;
  'field:activity': (push: ActivityPush) => void;
}

export interface FieldClientToServer {
  /** Answers the task after the step, or the refusal (the dispatch service's code). */
  'field:step': (step: FieldStep, ack: (result: Result<Task>) => void) => void;
  'field:decline': (body: DeclineBody, ack: (result: Result<Offer>) => void) => void;
  'field:resync': (ack: (result: Result<FieldSnapshot>) => void) => void;
}
