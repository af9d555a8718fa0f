/** Sends event batches to a running server and keeps the ledger a device would: acked or refused. */
import { appealReceived } from './events.js';
import type { RunningServer } from './server.js';

export interface Ledger {
  acked: string[];
  refused: string[];
  /** The first refusal's answer. */
  refusal: { status: number; code: string } | null;
}

/** Posts batches of `size` appeals until the server refuses one (or `max` batches). */
export async function fillUntilRefused(server: RunningServer, size: number, max: number): Promise<Ledger> {
  const ledger: Ledger = { acked: [], refused: [], refusal: null };
  for (let i = 0; i < max && !ledger.refusal; i += 1) {
    const batch = Array.from({ length: size }, () => appealReceived({ title: '小区路灯不亮，请尽快修复'.repeat(4) }));
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(batch),
    });
    const body = (await response.json()) as { accepted?: number; code?: string };
    if (response.status === 200 && body.accepted === size) ledger.acked.push(...batch.map((e) => e.id));
    else {
      ledger.refused.push(...batch.map((e) => e.id));
      ledger.refusal = { status: response.status, code: body.code ?? '' };
    }
  }
  return ledger;
}
