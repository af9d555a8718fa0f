/**
 * Steady ingest load against a running server, keeping the ledger a device would: which ids were
 * acknowledged, which were refused (a 4xx/5xx answer: never to be stored), and which are unknown
 * (the request died on the wire: may or may not be stored). Fault tests and bench/faults.ts check
 * the store against this ledger.
 */
import type { Health } from '../../shared/api.js';
import type { IngestResult, PracticeEvent } from '../../shared/events.js';

export interface LoadTarget {
  url: string;
  token: string;
  /** How to reach `url` (an in-process app's `inject`, a TLS server's trusting fetch); default the global fetch. */
  fetch?: typeof fetch;
}

export interface Load {
  acked: Set<string>;
  refused: Set<string>;
  unknown: Set<string>;
  /** Refusals by `status code` (e.g. `503 INGEST_BACKPRESSURE`), for failure messages. */
  refusals: Map<string, number>;
  requests: number;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
}

export interface LoadOptions {
  /** Builds one event; give it a marker (an activity id, a node) to find the load's rows again. */
  make: () => PracticeEvent;
  batch?: number;
  senders?: number;
  /** Pause between one sender's requests. */
  pauseMs?: number;
  /** Changes the target between requests (a restarted server on another port). */
  target?: () => LoadTarget;
  /** Every request's outcome, for a run's operation log (`status` null: died on the wire). */
  onResult?: (result: LoadResult) => void;
}

export interface LoadResult {
  op: 'ingest';
  status: number | null;
  code?: string;
  ids: string[];
  accepted: number;
}

export async function post(target: LoadTarget, events: readonly PracticeEvent[]): Promise<Response> {
  return (target.fetch ?? fetch)(`${target.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    body: JSON.stringify(events),
    signal: AbortSignal.timeout(60_000),
  });
}

export function startLoad(fixed: LoadTarget, options: LoadOptions): Load {
  const load: Load = {
    acked: new Set(),
    refused: new Set(),
    unknown: new Set(),
    refusals: new Map(),
    requests: 0,
    stop: async () => {
      running = false;
      await Promise.all(senders);
    },
  };
  let running = true;
  const target = options.target ?? (() => fixed);
  const sender = async () => {
    while (running) {
      const batch = Array.from({ length: options.batch ?? 20 }, options.make);
      load.requests += 1;
      try {
        const response = await post(target(), batch);
        const ids = batch.map((e) => e.id);
        if (response.ok) {
          const result = (await response.json()) as IngestResult;
          for (const item of result.items) {
            if (item.status === 'accepted' && item.id) load.acked.add(item.id);
            else if (item.id) load.refused.add(item.id);
          }
          options.onResult?.({ op: 'ingest', status: response.status, ids, accepted: result.accepted });
        } else {
          const body = (await response.json().catch(() => ({}))) as { code?: string };
          const key = `${response.status} ${body.code ?? ''}`;
          load.refusals.set(key, (load.refusals.get(key) ?? 0) + 1);
          for (const id of ids) load.refused.add(id);
          options.onResult?.({ op: 'ingest', status: response.status, code: body.code ?? '', ids, accepted: 0 });
        }
      } catch {
        for (const e of batch) load.unknown.add(e.id);
        options.onResult?.({ op: 'ingest', status: null, ids: batch.map((e) => e.id), accepted: 0 });
      }
      await new Promise((r) => setTimeout(r, options.pauseMs ?? 50));
    }
  };
  const senders = Array.from({ length: options.senders ?? 2 }, sender);
  return load;
}

/** `/api/health` as an authenticated caller sees it (causes and figures). */
export async function health(target: LoadTarget): Promise<Health> {
  const response = await (target.fetch ?? fetch)(`${target.url}/api/health`, {
    headers: { authorization: `Bearer ${target.token}` },
    signal: AbortSignal.timeout(30_000),
  });
  return (await response.json()) as Health;
}
