/** The `/ingest` socket contract for devices: a batch of events, acknowledged per batch. */
import type { IngestResult } from './events.js';
import type { Result } from './result.js';

export const INGEST_NAMESPACE = '/ingest';

export interface IngestClientToServer {
  /** Items are validated one by one against PracticeEventSchema, as on `POST /api/v1/events`. */
  'ingest:batch': (items: unknown[], ack: (result: Result<IngestResult>) => void) => void;
}
// The server sends nothing unprompted on /ingest; answers travel in acks.
export type IngestServerToClient = Record<string, never>;
