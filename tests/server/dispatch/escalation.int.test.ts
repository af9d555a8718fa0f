/**
 * The SLA timer on real parts — chdb, the migrations, ingest with its write-ahead log, the dispatch
 * service — with the service's clock moved by hand: a 站 that does not claim loses the order to its
 * 所, the 所 to the center, and an order nobody took in 48 h expires, each move a versioned, audited
 * system command that a second sweep at the same moment does not repeat, and that no caller can
 * pre-empt by sending the timer's command id first.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISTRICT } from '../../../shared/auth.js';
import { generateNetwork } from '../../../seed/network.js';
import { SYSTEM_ACTOR, sweep } from '../../../server/dispatch/escalation.js';
import { timerCommandId } from '../../../server/dispatch/ids.js';
import { DispatchService, type DispatchActor } from '../../../server/dispatch/service.js';
import { Ingest } from '../../../server/ingest/ingest.js';
import { EventSource } from '../../../server/ingest/validate.js';
import { migrate } from '../../../server/store/migrate.js';
import { auditOfOrder } from '../../../server/store/orders-repository.js';
import type { Transport } from '../../../server/store/transport.js';
import { openTestStore } from '../../helpers/test-store.js';

const MINUTE = 60_000;
const network = generateNetwork('shuangliu');
const nodes = new Map(network.nodes.map((n) => [n.id, n]));
const station = network.nodes.find((n) => n.level === 'station' && n.instituteId === 'I01');
const dispatcher: DispatchActor = { id: 'd1', name: '调度员', role: 'dispatcher', scope: DISTRICT };
const dir = mkdtempSync(join(tmpdir(), 'wmsj-escalation-'));
const log = pino({ level: 'silent' });
/** Three days ago: far enough back for 48 h to pass without stamping events in the future. */
let t = Date.now() - 3 * 24 * 60 * MINUTE;
let store: Transport;
let ingest: Ingest;
let service: DispatchService;

beforeAll(async () => {
  store = await openTestStore(dir);
  ingest = new Ingest(store, {
    walDir: join(dir, 'wal'),
    maxWalBytes: 64 * 1024 * 1024,
    flushMaxEvents: 1_000,
    flushMaxAgeMs: 20,
    nodes: new Map(network.nodes.map((n) => [n.id, n.instituteId ?? ''])),
    log,
    onAccepted: () => undefined,
    onFlushed: () => undefined,
  });
  service = new DispatchService({
    store,
    nodes,
    submit: (events) => ingest.submit(events, EventSource.dispatch),
    blockDoubleBooking: false,
    dataDir: dir,
    log,
    now: () => t,
  });
  await migrate(store);
  await ingest.start();
  await service.start();
});
afterAll(async () => {
  await service.close();
  await ingest.close();
  await store.close();
});

const step = async (
  orderId: string,
  version: number,
  body: Record<string, unknown>,
  commandId: string = crypto.randomUUID(),
) => {
  const ack = await service.command(dispatcher, {
    commandId,
    orderId,
    expectedVersion: version,
    ...body,
  } as Parameters<DispatchService['command']>[1]);
  if (!ack.ok) throw new Error(ack.error.code);
  return ack.data.order;
};

describe('the SLA timer', () => {
  it('escalates 站 → 所 → center when each level runs out of time, then expires the order after 48 h', async () => {
    const requested = await service.request(dispatcher, {
      commandId: crypto.randomUUID(),
      venueId: station?.id ?? '',
      title: '代购药品',
    });
    if (!requested.ok) throw new Error(requested.error.code);
    const id = requested.data.order.id;
    const accepted = await step(id, 1, { type: 'accept' });
    const atInstitute = await step(id, accepted.version, { type: 'dispatch_institute', instituteId: 'I01' });
    const atStation = await step(id, atInstitute.version, { type: 'dispatch_station', stationId: station?.id ?? '' });
    expect(atStation).toMatchObject({ state: 'dispatched_station', version: 4 });

    t += 119 * MINUTE;
    expect(await sweep(service)).toBe(0);
    t += 2 * MINUTE;
    expect(await sweep(service)).toBe(1);
    expect(await sweep(service)).toBe(0);
    expect(service.order(id)).toMatchObject({
      state: 'dispatched_institute',
      stationId: '',
      version: 5,
    });

    t += 31 * MINUTE;
    expect(await sweep(service)).toBe(1);
    expect(service.order(id)).toMatchObject({ state: 'accepted_by_center', version: 6 });

    t += 48 * 60 * MINUTE;
    expect(await sweep(service)).toBe(1);
    expect(service.order(id)).toMatchObject({ state: 'expired', version: 7 });

    await service.flushAudit();
    const trail = await auditOfOrder(store, id, 100);
    expect(
      trail.filter((e) => e.actorId === SYSTEM_ACTOR.id).map((e) => `${e.action}:${e.afterState}:${e.result}`),
    ).toEqual(['escalate:dispatched_institute:ok', 'escalate:accepted_by_center:ok', 'expire:expired:ok']);
  });

  it('moves an order whose timer command id a caller sent first, accepted or refused', async () => {
    const requested = await service.request(dispatcher, {
      commandId: crypto.randomUUID(),
      venueId: station?.id ?? '',
      title: '助老',
    });
    if (!requested.ok) throw new Error(requested.error.code);
    const id = requested.data.order.id;
    const taken = timerCommandId(id, 3, 'escalate');
    await step(id, 1, { type: 'accept' });
    // The dispatcher's own step to version 3, under the id the timer will send at version 3 …
    await step(id, 2, { type: 'dispatch_institute', instituteId: 'I01' }, taken);
    // … and another town's refused escalation under it too (the service is called directly: over
    // the wire the id, not a UUID, is refused before it gets here).
    const other: DispatchActor = { id: 'town-b', name: '他镇调度', role: 'dispatcher', scope: 'I02' };
    const refused = await service.command(other, {
      commandId: taken,
      orderId: id,
      expectedVersion: 3,
      type: 'escalate',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'AUTH_FORBIDDEN' } });

    t += 31 * MINUTE;
    expect(await sweep(service)).toBe(1);
    expect(service.order(id)).toMatchObject({ state: 'accepted_by_center', version: 4 });
  });
});
