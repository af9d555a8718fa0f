/**
 * The SLA timer: every few seconds, orders a level has held past its limit go one level up, and
 * old unclaimed ones expire (rules in shared/order-sla.ts). It acts as the system, through the
 * same commands a dispatcher gives, so its moves are versioned and audited like theirs; its command
 * ids are derived from the order's version, so two sweeps never move one version twice. Callers
 * cannot take those ids: they are no UUIDs, and answers are kept per sender (service.ts).
 */
import { DISTRICT } from '../../shared/auth.js';
import { timerAction } from '../../shared/order-sla.js';
import { isOpen } from '../../shared/orders.js';
import { timerCommandId } from './ids.js';
import type { DispatchActor } from './actor.js';
import type { DispatchService } from './service.js';

/** A colon is in no username (users.ts) nor token id (`t-…`, `config-…`): no caller is this principal. */
export const SYSTEM_ACTOR: DispatchActor = { id: 'system:timer', name: '系统', role: 'admin', scope: DISTRICT };

export async function sweep(s: DispatchService): Promise<number> {
  const now = s.now();
  let moved = 0;
  for (const order of s.orderStates()) {
    if (!isOpen(order.state)) continue;
    const action = timerAction(order, now);
    if (action === null) continue;
    const answer = await s.command(SYSTEM_ACTOR, {
      commandId: timerCommandId(order.id, order.version, action),
      orderId: order.id,
      expectedVersion: order.version,
      type: action,
    });
    if (answer.ok && !answer.data.replayed) moved += 1;
  }
  return moved;
}

/**
 * Runs `sweep` every `intervalMs` (one at a time) until the returned stop is called. `ours()`
 * answers whether this node sweeps this time: with several nodes one of them does per interval
 * (a claim in Redis), since the others' sweeps would only be answered as replays of its moves.
 */
export function startEscalation(
  s: DispatchService,
  intervalMs: number,
  onError: (e: unknown) => void,
  ours: () => Promise<boolean> = () => Promise.resolve(true),
): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => ((await ours()) ? sweep(s) : 0)).catch(onError);
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
