/**
 * The `/ingest` namespace: devices stream batches (device token in the handshake) into the same
 * ingest path as HTTP, each batch answered by an ack.
 */
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Namespace } from 'socket.io';
import type { RefusalCode } from '../../shared/codes.js';
import { MAX_BATCH, type IngestResult } from '../../shared/events.js';
import type { IngestClientToServer, IngestServerToClient } from '../../shared/ingest.js';
import { fail, ok } from '../../shared/result.js';
import { Errors } from '../errors.js';

type Submit = (items: unknown[]) => Promise<IngestResult>;

const BACKPRESSURE: RefusalCode = 'INGEST_BACKPRESSURE';
const INTERNAL: RefusalCode = 'INTERNAL';
/** A refusal as an error ack. */
const failWith = (error: Error & { code: string }) => fail(error.code, error.message);

/** Serves `/ingest` (its guard is already installed). */
export function serveIngest(
  ns: Namespace<IngestClientToServer, IngestServerToClient>,
  submit: Submit,
  log: Logger,
): void {
  ns.on('connection', (socket) => {
    socket.on('ingest:batch', (items, ack) => {
      if (typeof ack !== 'function') return;
      if (!Array.isArray(items) || items.length === 0) {
        ack(failWith(new Errors.VALIDATION('a batch is a non-empty array of events')));
        return;
      }
      if (items.length > MAX_BATCH) {
        ack(failWith(new Errors.INGEST_BATCH_TOO_LARGE(MAX_BATCH)));
        return;
      }
      submit(items).then(
        (result) => ack(ok(result)),
        (error: unknown) => {
          const e = error as { code?: string; message?: string; statusCode?: number };
          if ((e.statusCode ?? 500) >= 500 && e.code !== BACKPRESSURE)
            log.error({ err: error }, 'socket ingest failed');
          ack(fail(e.code ?? INTERNAL, e.code ? (e.message ?? 'error') : 'internal error'));
        },
      );
    });
  });
}
