/**
 * What a wall reads of the stored history, for comparing two servers (a backup and its restore, a
 * release and the next on the same data): the KPI tiles and panel queries whose answers depend on
 * the day, not on the minute they are asked, so two servers asked a minute apart agree.
 */
import { io, type Socket } from 'socket.io-client';
import { KPI_KEYS, type KpiKey, type KpiSnapshot } from '../../shared/kpi.js';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../../shared/live.js';
import type { QueryName, QueryUpdate } from '../../shared/queries/index.js';
import type { Result } from '../../shared/result.js';
import { eventually } from './server.js';

export const HISTORY_QUERIES: readonly { query: QueryName; params: unknown; scope?: string }[] = [
  { query: 'evaluation', params: { period: 'year', level: 'institute' } },
  { query: 'evaluation', params: { period: 'month', level: 'station' } },
  { query: 'brands.ranking', params: { period: 'month' } },
  { query: 'trend', params: { metric: 'checkins', window: '30d' } },
  { query: 'trend', params: { metric: 'appeals', window: '30d' }, scope: 'I01' },
];

export interface Figures {
  kpi: Record<KpiKey, number>;
  panels: unknown[];
}

/** The figures as a wall holding `wallToken` reads them from the server at `url`. */
export async function figures(url: string, wallToken: string): Promise<Figures> {
  const response = await fetch(`${url}/api/kpi`, { headers: { authorization: `Bearer ${wallToken}` } });
  if (!response.ok) throw new Error(`/api/kpi answered ${response.status}`);
  const snapshot = (await response.json()) as KpiSnapshot;
  // The figures without asOf, which differs between any two reads.
  const kpi = Object.fromEntries(KPI_KEYS.map((key) => [key, snapshot[key]])) as Record<KpiKey, number>;
  const socket: LiveSocket = io(`${url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    auth: { token: wallToken },
  });
  const pushed: QueryUpdate[] = [];
  socket.on('live:query', (update) => pushed.push(update));
  try {
    const panels: unknown[] = [];
    for (const { query, params, scope } of HISTORY_QUERIES) {
      panels.push(await answer(socket, pushed, query, params, scope));
    }
    return { kpi, panels };
  } finally {
    socket.disconnect();
  }
}

type LiveSocket = Socket<LiveServerToClient, LiveClientToServer>;

/** A query's first answer with data: in the ack, or pushed once its first evaluation ends. */
async function answer(socket: LiveSocket, pushed: QueryUpdate[], query: QueryName, params: unknown, scope?: string) {
  const ack = await new Promise<Result<QueryUpdate>>((resolve) =>
    socket.emit('live:subscribe', { query, params, ...(scope ? { scope } : {}) }, resolve),
  );
  if (!ack.ok) throw new Error(`${query} refused: ${ack.error.code}`);
  const { key, data } = ack.data;
  return data ?? (await eventually(() => pushed.find((u) => u.key === key && u.data !== undefined)?.data));
}
