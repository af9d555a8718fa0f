/**
 * Subscription cost: ClickHouse evaluations per second of the wall's named queries with 1 screen
 * and with 500 screens watching, under the same event load. Every screen watches its scope's core
 * frames and the same three panel queries (two trends and the heat layer). The hub evaluates once
 * per change of the source tables however many screens watch, so the two should match.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE } from '../shared/live.js';
import type { QuerySubscribe } from '../shared/queries/index.js';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { makeEvents, MANY_SCREENS, round, scrape, type BenchRow } from './lib.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const RATE = 1_000;
/** The panels every screen of the bench watches (also bench/cluster.ts). */
export const PANELS: QuerySubscribe[] = [
  { query: 'trend', params: { metric: 'checkins', window: '1h' } },
  { query: 'trend', params: { metric: 'mediaReads', window: '24h' } },
  { query: 'heat', params: { window: '6h', source: 'all', category: 'all' } },
];

const evaluations = async (server: RunningServer) => (await scrape(server))('wmsj_live_evaluations_total');

async function measure(server: RunningServer, screens: number): Promise<number> {
  const sockets: Socket[] = [];
  const token = await server.wallToken();
  for (let i = 0; i < screens; i += 1) {
    const socket = io(`${server.url}${LIVE_NAMESPACE}`, { transports: ['websocket'], forceNew: true, auth: { token } });
    await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
    for (const panel of PANELS) await new Promise((resolve) => socket.emit('live:subscribe', panel, resolve));
    sockets.push(socket);
  }
  const before = await evaluations(server);
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify(makeEvents(RATE / 10, ['S001', 'S002', 'P0001'])),
    });
    await new Promise((r) => setTimeout(r, 100));
  }
  const perSecond = ((await evaluations(server)) - before) / ((performance.now() - started) / 1000);
  for (const s of sockets) s.close();
  return perSecond;
}

export async function benchSubscriptions(): Promise<BenchRow[]> {
  const server = await startServer({ env: { BACKFILL_SCALE: '0.02', LOG_LEVEL: 'warn', ...MANY_SCREENS } });
  try {
    const one = await measure(server, 1);
    const many = await measure(server, 500);
    return [
      { bench: 'subscriptions', metric: 'ClickHouse evaluations/s, 1 screen', value: round(one, 2), unit: 'q/s' },
      {
        bench: 'subscriptions',
        metric: 'ClickHouse evaluations/s, 500 screens',
        value: round(many, 2),
        unit: 'q/s',
        baseline: round(one, 2),
        goal: 'the same as 1 screen',
      },
    ];
  } finally {
    await server.stop();
  }
}
