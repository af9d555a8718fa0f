/** The write of a decision's events through ingest, and what became of it. */
import type { FastifyBaseLogger as Logger } from 'fastify';
import { DispatchCode } from '../../shared/dispatch.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';

export type WriteOutcome = 'accepted' | 'duplicate' | typeof DispatchCode.unavailable | typeof DispatchCode.internal;

/** Submits through ingest (durable once answered); the first event's fate decides. */
export async function writeEvents(
  io: { submit: (events: PracticeEvent[]) => Promise<IngestResult>; log: Logger },
  events: PracticeEvent[],
): Promise<WriteOutcome> {
  try {
    const result = await io.submit(events);
    const first = result.items[0];
    if (first?.status === 'accepted' || first?.status === 'duplicate') return first.status;
    io.log.error({ item: first }, 'dispatch event refused by ingest');
    return DispatchCode.internal;
  } catch (error) {
    io.log.warn({ err: error }, 'dispatch write failed');
    return DispatchCode.unavailable;
  }
}
