/**
 * The dispatch contract: command bodies (REST and socket alike, one schema), the order and
 * volunteer view models, and the typed `/dispatch` Socket.IO maps. Extend only: the dispatcher UI
 * is built on these names.
 *
 * Rooms: a town's dispatcher receives its town's share (orders whose 所 is its scope, and orders
 * moving out of it, once, so it can drop them); the district's receives all. Every push carries a
 * sequence number per socket: a gap means a missed push, answer it with `dispatch:resync`.
 */
import { Type, type Static, type TProperties } from 'typebox';
import { OrderState, VolunteerStatus } from './events.js';
import { AssigneeKind, OrderCommandType, TargetKind, type OrderCommand } from './orders.js';
import type { RefusalCode, WarningCode } from './codes.js';
import type { Offer } from './field.js';
import type { ErrorBody, Result } from './result.js';

export const DISPATCH_NAMESPACE = '/dispatch';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const strict = { additionalProperties: false } as const;
/** Free text a person writes: no control characters beyond newline and tab. */
const Text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F]*$' });

const base = {
  /** Chosen by the client per command; a retry with the same id answers the first result and changes nothing. */
  commandId: Type.String({ format: 'uuid' }),
  orderId: Id,
  /** The order version the dispatcher saw; another one is refused ORDER_STALE_VERSION with the current order. */
  expectedVersion: Type.Integer({ minimum: 1, maximum: 4_294_967_295 }),
  /** Why (written into the transition's reason and the audit). */
  note: Type.Optional(Text(0, 200)),
};
const command = <T extends string, P extends TProperties>(type: T, fields: P) =>
  Type.Object({ ...base, type: Type.Literal(type), ...fields }, strict);

export const AssigneeSchema = Type.Object({ kind: Type.Enum(Object.values(AssigneeKind)), id: Id }, strict);
export const TargetSchema = Type.Object({ kind: Type.Enum(Object.values(TargetKind)), id: Id }, strict);

/** One command on one order; `type` picks the shape. */
export const OrderCommandSchema = Type.Union([
  command(OrderCommandType.accept, {}),
  command(OrderCommandType.reject, { reason: Type.Optional(Text(1, 200)) }),
  command(OrderCommandType.dispatchInstitute, { instituteId: Id }),
  command(OrderCommandType.dispatchStation, { stationId: Id }),
  command(OrderCommandType.claim, { assignee: AssigneeSchema }),
  command(OrderCommandType.reassign, { target: TargetSchema }),
  command(OrderCommandType.start, {}),
  command(OrderCommandType.complete, {}),
  command(OrderCommandType.rate, { score: Type.Integer({ minimum: 1, maximum: 5 }) }),
  command(OrderCommandType.cancel, { reason: Type.Optional(Text(1, 200)) }),
  command(OrderCommandType.escalate, {}),
  command(OrderCommandType.expire, {}),
]);
export type OrderCommandBody = Static<typeof OrderCommandSchema>;

/** 群众点单 entered by a dispatcher (a phone call) — `POST /api/v1/orders`. */
export const OrderRequestSchema = Type.Object(
  {
    commandId: Type.String({ format: 'uuid' }),
    /** The 站 or 点 where the service is wanted. */
    venueId: Id,
    title: Text(1, 120),
    note: Type.Optional(Text(0, 200)),
  },
  strict,
);
export type OrderRequestBody = Static<typeof OrderRequestSchema>;

export const HistoryEntrySchema = Type.Object({
  version: Type.Integer(),
  from: Type.Union([Type.Enum(Object.values(OrderState)), Type.Null()]),
  to: Type.Enum(Object.values(OrderState)),
  at: Type.Integer(),
  actor: Type.String(),
  /** Volunteer or team id after the transition; '' when none. */
  assignee: Type.String(),
  reason: Type.String(),
});
export type HistoryEntry = Static<typeof HistoryEntrySchema>;

export const OrderViewSchema = Type.Object({
  id: Type.String(),
  state: Type.Enum(Object.values(OrderState)),
  version: Type.Integer(),
  title: Type.String(),
  /** Skill key the service needs (`elderly`, `health`, …), from the title; '' when none fits. */
  category: Type.String(),
  venueId: Type.String(),
  /** The town (所 id) holding the order: scopes who sees and acts on it. */
  instituteId: Type.String(),
  /** The 站 it is dispatched to; '' before. */
  stationId: Type.String(),
  assignee: Type.Union([AssigneeSchema, Type.Null()]),
  createdAt: Type.Integer(),
  stateEnteredAt: Type.Integer(),
  /** When the current state runs out of time (SLA); null when it has no limit. */
  dueAt: Type.Union([Type.Integer(), Type.Null()]),
  /** The latest transitions (up to 10), oldest first; the full audit timeline is `GET /api/v1/orders/:id`. */
  history: Type.Array(HistoryEntrySchema),
});
export type OrderView = Static<typeof OrderViewSchema>;

export const VolunteerViewSchema = Type.Object({
  id: Type.String(),
  /** Masked (张*伟). */
  name: Type.String(),
  status: Type.Enum(Object.values(VolunteerStatus)),
  /** Open orders on this volunteer (more than 1 = double-booked). */
  load: Type.Integer(),
  orderIds: Type.Array(Type.String()),
  teamId: Type.String(),
  stationId: Type.String(),
  instituteId: Type.String(),
  skills: Type.Array(Type.String()),
  /** The volunteer's station: the best position we have. */
  lat: Type.Number(),
  lon: Type.Number(),
});
export type VolunteerView = Static<typeof VolunteerViewSchema>;

/**
 * A person's full name and phone, for a dispatcher who must call them (a volunteer on an order, the
 * citizen behind an appeal). Every ask is audited; screens elsewhere only ever get the masked form.
 */
export const ContactSchema = Type.Object({
  /** `volunteer:V…` or `appeal:A…`, as the audit trail names it. */
  subject: Type.String(),
  name: Type.String(),
  phone: Type.String(),
});
export type Contact = Static<typeof ContactSchema>;

export const DispatchWarning = { doubleBooked: 'VOLUNTEER_DOUBLE_BOOKED' } as const satisfies Record<
  string,
  WarningCode
>;
export type DispatchWarning = (typeof DispatchWarning)[keyof typeof DispatchWarning];

export const CommandOutcomeSchema = Type.Object({
  order: OrderViewSchema,
  /** True when this command id was seen before: the first answer, nothing written again. */
  replayed: Type.Boolean(),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
});
export type CommandOutcome = Static<typeof CommandOutcomeSchema>;

/** A refusal; stale versions and illegal transitions carry the order as it is now. */
export interface DispatchError extends ErrorBody {
  order?: OrderView;
}
export type CommandAck = { ok: true; data: CommandOutcome } | { ok: false; error: DispatchError };

export const CandidateSchema = Type.Object({
  kind: Type.Enum(Object.values(AssigneeKind)),
  id: Type.String(),
  /** Masked for a volunteer; the team id's label for a team. */
  name: Type.String(),
  distanceM: Type.Number(),
  /** Measured from the volunteer's last check-in (recent) or from the home station (所在站; a team's always). */
  from: Type.Enum(['checkin', 'station']),
  /** Share of the order's needed skills the candidate has, 0–1. */
  skillMatch: Type.Number(),
  load: Type.Integer(),
  status: Type.Enum(Object.values(VolunteerStatus)),
  /** Higher is better; the list comes sorted by it. */
  score: Type.Number(),
});
export type Candidate = Static<typeof CandidateSchema>;

export const ViewerSchema = Type.Object({ id: Type.String(), name: Type.String() });
export type Viewer = Static<typeof ViewerSchema>;

export const NoteSchema = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  author: ViewerSchema,
  text: Type.String(),
  at: Type.Integer(),
});
export type Note = Static<typeof NoteSchema>;
export const NoteBodySchema = Type.Object({ orderId: Id, text: Text(1, 500) }, strict);
export type NoteBody = Static<typeof NoteBodySchema>;

export const DispatchSnapshotSchema = Type.Object({
  seq: Type.Integer(),
  at: Type.Integer(),
  /** Open orders in the socket's scope. */
  orders: Type.Array(OrderViewSchema),
  /** Volunteers on open orders in scope, and those whose status changed recently. */
  volunteers: Type.Array(VolunteerViewSchema),
  viewing: Type.Array(Type.Object({ orderId: Type.String(), viewers: Type.Array(ViewerSchema) })),
});
export type DispatchSnapshot = Static<typeof DispatchSnapshotSchema>;

export const AuditResult = { ok: 'ok', refused: 'refused', replayed: 'replayed' } as const;
export type AuditResult = (typeof AuditResult)[keyof typeof AuditResult];

/**
 * What an audit entry records an attempt at: a command type, `request` (点单), `note`, or an offer
 * to a volunteer (`offer`, 派给志愿者) and its `decline` (which change no state).
 */
export type AuditAction = OrderCommandType | 'request' | 'note' | 'offer' | 'decline';

/** One attempt on an order, accepted or refused, as the audit trail keeps it (ClickHouse `dispatch_audit`). */
export const AuditEntrySchema = Type.Object({
  /** Increases with every attempt the server handles: the order of the trail. */
  seq: Type.Integer(),
  at: Type.Integer(),
  actorId: Type.String(),
  actorName: Type.String(),
  actorRole: Type.String(),
  /** An AuditAction. */
  action: Type.String(),
  commandId: Type.String(),
  orderId: Type.String(),
  /** Volunteer or team ids the attempt touched (before and after). */
  assignees: Type.Array(Type.String()),
  beforeState: Type.String(),
  beforeVersion: Type.Integer(),
  afterState: Type.String(),
  afterVersion: Type.Integer(),
  result: Type.Enum(Object.values(AuditResult)),
  /** The refusal's code, or '' when accepted. */
  code: Type.String(),
  /** The note, or the refusal's reason. */
  message: Type.String(),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

/** `GET /api/v1/orders`. */
export const OrderListSchema = Type.Object({ at: Type.Integer(), orders: Type.Array(OrderViewSchema) });
export type OrderList = Static<typeof OrderListSchema>;
/** `GET /api/v1/orders/:id`: the order and its audit timeline, oldest first. */
export const OrderDetailSchema = Type.Object({ order: OrderViewSchema, timeline: Type.Array(AuditEntrySchema) });
export type OrderDetail = Static<typeof OrderDetailSchema>;
/** `GET /api/v1/volunteers/:id/timeline`. */
export const VolunteerTimelineSchema = Type.Object({
  volunteer: Type.Union([VolunteerViewSchema, Type.Null()]),
  timeline: Type.Array(AuditEntrySchema),
});
export type VolunteerTimeline = Static<typeof VolunteerTimelineSchema>;

export interface DispatchServerToClient {
  'dispatch:snapshot': (snapshot: DispatchSnapshot) => void;
  /** An order changed (closed ones too: drop them from the open board). */
  'dispatch:order': (push: { seq: number; order: OrderView }) => void;
  'dispatch:volunteer': (push: { seq: number; volunteer: VolunteerView }) => void;
  /** "XX 正在处理": who has the order open now (empty = nobody). */
  'dispatch:viewing': (push: { orderId: string; viewers: Viewer[] }) => void;
  'dispatch:note': (note: Note) => void;
  /** An activity of the room's town was published, cancelled, signed up for or checked in at: re-read the list. */
  'dispatch:activity': (push: { activityId: string }) => void;
  /** An offer to a volunteer opened, declined (with the reason), accepted or withdrawn. */
  'dispatch:offer': (offer: Offer) => void;
}

export interface DispatchClientToServer {
  'dispatch:command': (command: OrderCommandBody, ack: (result: CommandAck) => void) => void;
  'dispatch:request': (body: OrderRequestBody, ack: (result: CommandAck) => void) => void;
  /** Say which order this dispatcher has open (null = none); presence ends with the socket. */
  'dispatch:view': (orderId: string | null) => void;
  'dispatch:note': (body: NoteBody, ack: (result: Result<Note>) => void) => void;
  'dispatch:candidates': (
    query: { orderId: string; limit?: number },
    ack: (result: Result<Candidate[]>) => void,
  ) => void;
  'dispatch:resync': (ack: (result: Result<DispatchSnapshot>) => void) => void;
}

/** Dispatch error codes beyond the state machine's (shared/orders.ts OrderCode), named from shared/codes.ts. */
export const DispatchCode = {
  notFound: 'ORDER_NOT_FOUND',
  doubleBooking: 'ORDER_DOUBLE_BOOKING',
  invalid: 'REQ_VALIDATION',
  forbidden: 'AUTH_FORBIDDEN',
  unavailable: 'INGEST_BACKPRESSURE',
  /** Several nodes: Redis, where an order's version is won, did not answer (nothing written; retry). */
  sharedUnavailable: 'SHARED_UNAVAILABLE',
  internal: 'INTERNAL',
} as const satisfies Record<string, RefusalCode>;

/** The wire body of a state-machine command (shared/orders.ts), for callers holding the pure form. */
export function toCommandBody(
  ids: { commandId: string; orderId: string; expectedVersion: number; note?: string },
  command: OrderCommand,
): OrderCommandBody {
  switch (command.type) {
    case 'reject':
    case 'cancel':
      return command.type === 'reject'
        ? { ...ids, type: 'reject', ...(command.reason === undefined ? {} : { reason: command.reason }) }
        : { ...ids, type: 'cancel', ...(command.reason === undefined ? {} : { reason: command.reason }) };
    case 'accept':
    case 'start':
    case 'complete':
    case 'escalate':
    case 'expire':
      return { ...ids, type: command.type };
    case 'dispatch_institute':
    case 'dispatch_station':
    case 'claim':
    case 'reassign':
    case 'rate':
      return { ...ids, ...command };
  }
}
