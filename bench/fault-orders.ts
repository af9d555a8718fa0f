/**
 * Orders under faults, driven as a dispatcher drives them: 点单 over REST, then 制单 (accept) and
 * cancel, each command retried under its own commandId until the server answers — through kill -9,
 * a ClickHouse outage, and the session that dies with the process (the driver logs in again). The
 * ledger keeps every transition the server acknowledged, for bench/faults.ts to find in ClickHouse.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandOutcome, OrderCommandBody, OrderRequestBody } from '../shared/dispatch.js';

export interface OrderTarget {
  url: string;
  /** Logs in as a dispatcher (admin) and answers the session cookie. */
  login(): Promise<string>;
}

export interface OrderDriver {
  /** `orderId:version` of every transition acknowledged (replayed answers included: same transition). */
  acked: Set<string>;
  /** Commands the server refused with a 4xx other than 401: never to be stored. */
  refused: number;
  /** Attempts that died on the wire, timed out, or met a 401/503, and were sent again. */
  retries: number;
  orders: number;
  /** Finishes the order under way and stops. */
  stop(): Promise<void>;
}

type Record = (entry: object) => void;

export function startOrders(target: () => OrderTarget, venueId: string, record: Record): OrderDriver {
  let cookie = '';
  const state = { running: true };
  let loop: Promise<void> = Promise.resolve();
  const driver: OrderDriver = {
    acked: new Set(),
    refused: 0,
    retries: 0,
    orders: 0,
    async stop() {
      state.running = false;
      await loop;
    },
  };

  /** One command, sent until answered; the outcome, or null when refused. */
  async function send(path: string, body: OrderRequestBody | OrderCommandBody): Promise<CommandOutcome | null> {
    for (;;) {
      const { url } = target();
      let status: number | null = null;
      try {
        if (cookie === '') cookie = await target().login();
        const response = await fetch(`${url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
        status = response.status;
        const json = (await response.json()) as CommandOutcome & { code?: string };
        if (status === 200) {
          driver.acked.add(`${json.order.id}:${json.order.version}`);
          record({
            op: 'order',
            path,
            commandId: body.commandId,
            status,
            order: json.order.id,
            version: json.order.version,
            replayed: json.replayed,
          });
          return json;
        }
        if (status === 401) cookie = '';
        else if (status !== 503 && status !== 429) {
          driver.refused += 1;
          record({ op: 'order', path, commandId: body.commandId, status, code: json.code });
          return null;
        }
      } catch {
        // Died on the wire (the server killed, or its answer cut): the same commandId again.
      }
      driver.retries += 1;
      record({ op: 'order-retry', path, commandId: body.commandId, status });
      await sleep(300);
    }
  }

  loop = (async () => {
    while (state.running) {
      const requested = await send('/api/v1/orders', { commandId: randomUUID(), venueId, title: 'FAULTS 代购药品' });
      if (!requested) continue;
      driver.orders += 1;
      const { id } = requested.order;
      const accepted = await send(`/api/v1/orders/${id}/commands`, {
        commandId: randomUUID(),
        orderId: id,
        expectedVersion: requested.order.version,
        type: 'accept',
      });
      if (!accepted) continue;
      await send(`/api/v1/orders/${id}/commands`, {
        commandId: randomUUID(),
        orderId: id,
        expectedVersion: accepted.order.version,
        type: 'cancel',
        reason: 'faults bench',
      });
      await sleep(100);
    }
  })();
  return driver;
}
