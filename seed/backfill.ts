/**
 * A year of history for an empty store, sized by the county's yearly figures × scale: the volunteer
 * registry (built in JS, where names are generated) and every event family, generated inside
 * ClickHouse by the statements in seed/history/ (`INSERT … SELECT … FROM numbers(N)`, deterministic
 * per seed and `now` except event ids). Assumes a migrated, empty store; the network travels as
 * bound array parameters, so it need not be read back from `nodes`.
 */
import { readFileSync } from 'node:fs';
import type { Network } from '../shared/network.js';
import { insertVolunteers, type VolunteerRegistration } from '../server/store/network-repository.js';
import type { Transport } from '../server/store/transport.js';
import { historyParams } from './history/params.js';
import { hashSeed } from '../shared/random.js';
import { volunteerAt, volunteerCount } from './volunteers.js';

export interface BackfillOptions {
  seed: number;
  /** 1 = the county's yearly figures (seed/counties.ts); tests use 0.02. */
  scale: number;
  /** The history ends here (epoch ms). */
  now: number;
  onProgress?: (label: string, done: number, total: number) => void;
}

export interface BackfillReport {
  /** Rows in each table after the backfill, and `events.<type>` per event type. */
  rows: Record<string, number>;
  ms: number;
}

/** Order matters: statuses derive from the orders, media links to the activities already written. */
const STEPS = ['activities', 'appeals', 'orders', 'statuses', 'media'] as const;
const VOLUNTEER_CHUNK = 20_000;
/** Registrations spread over the five years the practice centers have existed. */
const REGISTRATION_SPAN_S = 5 * 365 * 86_400;

const statement = (step: (typeof STEPS)[number]): string =>
  readFileSync(new URL(`./history/${step}.sql`, import.meta.url), 'utf8');

export async function backfill(t: Transport, network: Network, opts: BackfillOptions): Promise<BackfillReport> {
  const started = performance.now();
  const registered = Math.round(volunteerCount(network) * opts.scale);
  const chunks = Math.ceil(registered / VOLUNTEER_CHUNK);
  const total = chunks + STEPS.length;
  let done = 0;
  const progress = (label: string): void => opts.onProgress?.(label, ++done, total);

  const nowS = Math.floor(opts.now / 1000);
  for (let from = 0; from < registered; from += VOLUNTEER_CHUNK) {
    const chunk: VolunteerRegistration[] = [];
    for (let i = from; i < Math.min(registered, from + VOLUNTEER_CHUNK); i++) {
      const registeredAt = nowS - (hashSeed(opts.seed, i, 1) % REGISTRATION_SPAN_S);
      chunk.push({ ...volunteerAt(network, i, opts.seed), registeredAt });
    }
    await insertVolunteers(t, chunk);
    progress('volunteers');
  }

  // Volunteer ids in the history must stay within the registry, however small the scale.
  const params = historyParams(network, opts.seed, opts.scale, opts.now, Math.max(1, registered));
  for (const step of STEPS) {
    await t.command(statement(step), params);
    progress(step);
  }
  return { rows: await countRows(t), ms: Math.round(performance.now() - started) };
}

async function countRows(t: Transport): Promise<Record<string, number>> {
  const [volunteers] = await t.query<{ n: number }>('SELECT count() AS n FROM volunteers');
  const types = await t.query<{ type: string; n: number }>(
    'SELECT type, count() AS n FROM events GROUP BY type ORDER BY type',
  );
  const rows: Record<string, number> = {
    volunteers: volunteers?.n ?? 0,
    events: types.reduce((sum, r) => sum + r.n, 0),
  };
  for (const r of types) rows[`events.${r.type}`] = r.n;
  return rows;
}
