/**
 * The live simulator: schema-valid events at about `rate` a second (averaged over a day), shaped by
 * the county's daily rhythm and sent in one batch per tick through `emit` — in the server, the same
 * ingest path real devices use. Each event family is a flow (seed/flows/) with its share of the rate.
 */
import type { PracticeEvent } from '../shared/events.js';
import type { Network } from '../shared/network.js';
import { countyFacts } from './counties.js';
import { diurnalLevel, type Rhythm } from './diurnal.js';
import { activityFlow } from './flows/activities.js';
import { appealFlow } from './flows/appeals.js';
import { createFlowContext, type Flow } from './flows/context.js';
import { mediaFlows } from './flows/media.js';
import { localOrderPort } from './flows/order-port.js';
import { orderFlow, type OrderPort } from './flows/orders.js';
import { statusFlow } from './flows/statuses.js';
import { createRng, hashSeed } from '../shared/random.js';
import { volunteerCount } from './volunteers.js';

export interface SimulatorOptions {
  network: Network;
  /** Events per second, averaged over a day. */
  rate: number;
  seed: number;
  emit: (events: PracticeEvent[]) => void | Promise<void>;
  now?: () => number;
  tickMs?: number;
  /** Registered volunteers to draw from; defaults to the county's registry (match a scaled backfill). */
  volunteers?: number;
  /**
   * Where orders go: in the server, the dispatch service's commands, so the simulator and the
   * console share one state machine. Defaults to a local port that runs the same machine and
   * emits its events with the other flows'.
   */
  orders?: OrderPort;
  /** A failed emit drops that batch and the simulator carries on; defaults to console.error. */
  onError?: (error: unknown) => void;
}

export interface Simulator {
  start(): void;
  /** Stops ticking and waits for the batch being emitted. */
  stop(): Promise<void>;
  /** Runs one tick now (start() runs them on a timer; tests drive them with a fake clock). */
  tick(): Promise<void>;
}

/** Share of the rate per family; activities dominate, as check-ins do on a real wall. */
const SHARES = {
  activity: 0.55,
  appeal: 0.08,
  order: 0.06,
  publish: 0.01,
  read: 0.25,
  status: 0.05,
} as const;
/** The quietest hour still runs at this share of an average hour, so a demo at night shows life. */
const NIGHT_FLOOR = 0.15;
/** After a stall (a sleeping laptop), catch up at most this many ticks' worth instead of a flood. */
const MAX_CATCH_UP_TICKS = 4;

/** Mean of max(floor, level) over a day, to scale the floored curve back to an average of 1. */
function floorNorm(rhythm: Rhythm): number {
  let sum = 0;
  for (let m = 0; m < 1440; m += 10) sum += Math.max(NIGHT_FLOOR, diurnalLevel(rhythm, m * 60_000));
  return sum / 144;
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now;
  const tickMs = opts.tickMs ?? 250;
  const onError = opts.onError ?? ((error: unknown) => console.error('simulator: emit failed', error));
  const registered = Math.max(1, opts.volunteers ?? volunteerCount(opts.network));
  const ctx = createFlowContext(opts.network, createRng(hashSeed(opts.seed, 0x51)), opts.seed, registered, now());
  const activities = activityFlow(ctx);
  // Reads per report so that a day's reads match the county's year / 365 whatever the rate.
  const dailyReads = countyFacts(opts.network).yearly.reads / 365;
  const readsPerEvent = dailyReads / Math.max(1e-9, opts.rate * SHARES.read * 86_400);
  const media = mediaFlows(ctx, () => activities.running(), readsPerEvent);
  const local = opts.orders ? null : localOrderPort(ctx);
  const orders = orderFlow(ctx, opts.orders ?? (local as NonNullable<typeof local>).port);
  /** Orders count their requests and commands against the budget; their events come from the port. */
  const orderLane: Flow = { step: () => [] };
  const makeLane = (flow: Flow, rhythm: Rhythm, share: number) => ({
    flow,
    rhythm,
    share,
    norm: floorNorm(rhythm),
    budget: 0,
  });
  const lanes = [
    makeLane(activities, 'activity', SHARES.activity),
    makeLane(appealFlow(ctx), 'appeal', SHARES.appeal),
    makeLane(orderLane, 'order', SHARES.order),
    makeLane(media.publish, 'publish', SHARES.publish),
    makeLane(media.read, 'read', SHARES.read),
    makeLane(statusFlow(ctx), 'activity', SHARES.status),
  ];

  let last: number | null = null;
  const tick = async (): Promise<void> => {
    const t = now();
    const dt = Math.min(MAX_CATCH_UP_TICKS * tickMs, Math.max(0, last === null ? tickMs : t - last));
    last = t;
    const events: PracticeEvent[] = [];
    for (const lane of lanes) {
      // Fractional budgets carry over, so low rates still come out right on average.
      const perTick = (opts.rate * lane.share * dt) / 1000;
      const level = Math.max(NIGHT_FLOOR, diurnalLevel(lane.rhythm, t)) / lane.norm;
      lane.budget = Math.min(lane.budget + perTick * level, perTick * MAX_CATCH_UP_TICKS + 1);
      const n = Math.floor(lane.budget);
      if (n < 1) continue;
      if (lane.flow === orderLane) {
        lane.budget -= orders.step(t, n);
        continue;
      }
      const produced = lane.flow.step(t, n);
      lane.budget -= produced.length;
      for (const e of produced) events.push(e);
    }
    await orders.settle();
    if (local) for (const e of local.drain()) events.push(e);
    if (events.length > 0) await opts.emit(events);
  };

  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  const schedule = (): void => {
    timer = setTimeout(() => {
      inFlight = tick()
        .catch(onError)
        .finally(() => {
          if (timer !== null) schedule(); // not after stop()
        });
    }, tickMs);
  };
  return {
    start() {
      if (timer === null) schedule();
    },
    async stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await inFlight;
      await orders.settle();
    },
    tick,
  };
}
