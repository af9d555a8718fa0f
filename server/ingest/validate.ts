/**
 * Per-event validation against the shared schemas. The schema is chosen by the event's `type`, so
 * a bad event gets the one relevant reason instead of a union's every mismatch.
 */
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';
import {
  AppealReceivedEventSchema,
  AppealStepEventSchema,
  CheckinEventSchema,
  CheckoutEventSchema,
  EventType,
  MediaPublishedEventSchema,
  MediaReadEventSchema,
  OrderEventSchema,
  VolunteerStatusEventSchema,
  type PracticeEvent,
} from '../../shared/events.js';
import { EventRejection } from '../../shared/codes.js';

const schemaByType: Record<string, TSchema> = {
  [EventType.checkin]: CheckinEventSchema,
  [EventType.checkout]: CheckoutEventSchema,
  [EventType.volunteerStatus]: VolunteerStatusEventSchema,
  [EventType.appealReceived]: AppealReceivedEventSchema,
  [EventType.appealAssigned]: AppealStepEventSchema,
  [EventType.appealReplied]: AppealStepEventSchema,
  [EventType.appealClosed]: AppealStepEventSchema,
  [EventType.order]: OrderEventSchema,
  [EventType.mediaPublished]: MediaPublishedEventSchema,
  [EventType.mediaRead]: MediaReadEventSchema,
};
const validators = new Map(Object.entries(schemaByType).map(([type, schema]) => [type, Compile(schema)]));

/** JSON may carry half a UTF-16 pair ("\ud800"); ClickHouse cannot store it, so it is refused here. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Events may be stamped a little ahead by a device clock, not more. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

type Validator = ReturnType<typeof Compile>;

/** The first schema violation in words a device developer can act on: the field, then the rule. */
function describeFirstError(validator: Validator, item: unknown): string {
  const errors = [...validator.Errors(item)];
  const extra = errors.find((e) => e.keyword === 'additionalProperties');
  if (extra) {
    const names = (extra.params as { additionalProperties?: string[] }).additionalProperties ?? [];
    return `unexpected field ${names.join(', ')}`;
  }
  const first = errors[0];
  if (!first) return 'does not match the schema';
  const where = first.instancePath ? first.instancePath.slice(1).replaceAll('/', '.') : 'event';
  return `${where}: ${first.message}`;
}

export type Verdict = { ok: true; event: PracticeEvent } | { ok: false; code: string; reason: string };

/**
 * Who hands events to ingest. Devices and integrations send facts (check-ins, appeals, media); an
 * order's transitions are written by the dispatch service alone, after its state machine, version
 * check and audit — a transition from anywhere else would move an order no one decided to move.
 */
export const EventSource = { device: 'device', dispatch: 'dispatch' } as const;
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

export function validateEvent(
  item: unknown,
  knownNode: (id: string) => boolean,
  nowMs: number,
  from: EventSource = EventSource.device,
): Verdict {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { ok: false, code: EventRejection.INVALID, reason: 'an event must be a JSON object' };
  }
  const type = (item as { type?: unknown }).type;
  const validator = typeof type === 'string' ? validators.get(type) : undefined;
  if (!validator) {
    return { ok: false, code: EventRejection.INVALID, reason: `unknown event type ${JSON.stringify(type ?? null)}` };
  }
  if (!validator.Check(item))
    return { ok: false, code: EventRejection.INVALID, reason: describeFirstError(validator, item) };
  const event = item as PracticeEvent;
  // A loop over the fields, not Object.entries: that made an array per field of every event.
  for (const key in event) {
    const v = (event as unknown as Record<string, unknown>)[key];
    if (typeof v === 'string' && LONE_SURROGATE.test(v)) {
      return {
        ok: false,
        code: EventRejection.INVALID,
        reason: `${key}: text is not valid Unicode (a lone surrogate)`,
      };
    }
  }
  if (!knownNode(event.nodeId)) {
    return { ok: false, code: EventRejection.UNKNOWN_NODE, reason: `unknown node ${event.nodeId}` };
  }
  if (event.ts > nowMs + MAX_CLOCK_SKEW_MS) {
    return { ok: false, code: EventRejection.FROM_FUTURE, reason: 'ts is more than 5 minutes in the future' };
  }
  // Last, so a malformed transition is told what is wrong with it first.
  if (event.type === EventType.order && from !== EventSource.dispatch) {
    return {
      ok: false,
      code: EventRejection.ORDER_VIA_DISPATCH,
      reason: 'orders change only through the dispatch service: POST /api/v1/orders and /api/v1/orders/:id/commands',
    };
  }
  return { ok: true, event };
}
