/**
 * 各所点单办结率 (`orders.closure`), through the query registry on a real chdb with the real
 * migrations: orders requested in the window, per 所 at the district and per 站 inside a town (a 点's
 * orders counting for its 站), done meaning completed or rated — never cancelled — and an order
 * requested before the window left out however recently it was completed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EVALUATION } from '../../../shared/evaluation.js';
import type { OrderState, PracticeEvent } from '../../../shared/events.js';
import { QUERIES } from '../../../server/queries/index.js';
import { insertEvents, toNdjson, toRow } from '../../../server/store/events-repository.js';
import { migrate } from '../../../server/store/migrate.js';
import type { Transport } from '../../../server/store/transport.js';
import { INSTITUTE_OF, insertSmallNetwork } from '../../helpers/small-network.js';
import { openTestStore } from '../../helpers/test-store.js';

const DAY = 86_400_000;
const now = Date.now();
let store: Transport;

/** An order at `site` requested at `ts`, moved through `states` an hour apart. */
function order(site: string, ts: number, states: readonly OrderState[]): PracticeEvent[] {
  const orderId = `O-${randomUUID()}`;
  return (['requested', ...states] as OrderState[]).map((to, i, all) => ({
    id: randomUUID(),
    type: 'order.transition',
    nodeId: site,
    ts: ts + i * 3_600_000,
    orderId,
    from: i === 0 ? null : (all[i - 1] ?? null),
    to,
    version: i + 1,
    actor: 'desk',
    volunteerId: null,
    reason: '',
  }));
}

const DONE: OrderState[] = [
  'accepted_by_center',
  'dispatched_institute',
  'dispatched_station',
  'claimed',
  'in_service',
  'completed',
];

beforeAll(async () => {
  store = await openTestStore(mkdtempSync(join(tmpdir(), 'wmsj-closure-')));
  await migrate(store);
  await insertSmallNetwork(store, (id) => `${id}镇`);
  const events = [
    ...order('S001', now - 3 * DAY, DONE),
    ...order('P001', now - 2 * DAY, [...DONE, 'rated']),
    ...order('S002', now - DAY, ['accepted_by_center', 'dispatched_institute']),
    ...order('S101', now - 5 * DAY, ['cancelled']),
    // Requested before the 30 days, completed yesterday: not of the window's orders.
    ...order('S101', now - 40 * DAY, ['accepted_by_center']),
    ...order('S101', now - DAY, ['completed']).slice(1),
  ];
  await insertEvents(store, toNdjson(events.map((e) => toRow(e, INSTITUTE_OF[e.nodeId] ?? 'I01'))), 'closure');
});
afterAll(async () => {
  await store.close();
});

const run = (scope: readonly string[] | null, window: '7d' | '30d' = '30d') =>
  QUERIES['orders.closure'].run({ store, now, config: { evaluation: DEFAULT_EVALUATION } }, { window }, scope);

describe('orders.closure', () => {
  it('counts, per 所, the orders requested in the window and those of them done', async () => {
    expect(await run(null)).toEqual([
      { id: 'I01', name: 'I01镇', requested: 3, done: 2 },
      { id: 'I02', name: 'I02镇', requested: 1, done: 0 },
    ]);
  });

  it("inside a town counts per 站, a 点's orders with its 站's", async () => {
    expect(await run(['I01', 'S001', 'P001', 'S002'])).toEqual([
      { id: 'S001', name: 'S001镇', requested: 2, done: 2 },
      { id: 'S002', name: 'S002镇', requested: 1, done: 0 },
    ]);
  });

  it('follows the window', async () => {
    expect(await run(null, '7d')).toEqual([
      { id: 'I01', name: 'I01镇', requested: 3, done: 2 },
      { id: 'I02', name: 'I02镇', requested: 1, done: 0 },
    ]);
    expect(await run(['S101'], '7d')).toEqual([{ id: 'S101', name: 'S101镇', requested: 1, done: 0 }]);
  });
});
