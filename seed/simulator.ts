/**
 * The live simulator: the county's rhythm (seed/rhythm.ts) played live. Each tick draws Poisson
 * counts of new activities, appeals, orders, articles and read reports from the rhythm's expected
 * rates for the tick's span, and the flows (seed/flows/) emit the steps that fall due, timed as the
 * history's. One batch per tick goes through `emit` — in the server, the HTTP route real devices
 * use (server/plugins/app/simulator-paths.ts). An explicit `rate` speeds the same rhythm up for load runs and demos.
 */
import type { PracticeEvent } from '../shared/events.js';
import type { Network } from '../shared/network.js';
import { DEFAULT_TIME_ZONE } from '../shared/time-zone.js';
import { createRng, hashSeed, poisson } from '../shared/random.js';
import { countyFacts } from './counties.js';
import { activityFlow, type OpenCheckin } from './flows/activities.js';
import { appealFlow, type PendingAppeal } from './flows/appeals.js';
import { createFlowContext } from './flows/context.js';
import { mediaFlows } from './flows/media.js';
import { localOrderPort } from './flows/order-port.js';
import { orderFlow, type OrderPort } from './flows/orders.js';
import {
  CHECKIN_WINDOW_MIN,
  dailyCount,
  dailyEvents,
  expectedCount,
  hourShare,
  KINDS,
  SLOT_MIN,
  type Kind,
} from './rhythm.js';
import { volunteerCount } from './volunteers.js';

export interface SimulatorOptions {
  network: Network;
  /**
   * Omitted: the county's own rhythm, as its history has it. A number: that many events a second
   * averaged over a day — the same rhythm sped up (its spans shortened alike, at most
   * MAX_TIME_SCALE times) with a night floor, for load runs and demos that must move at 3 a.m.
   */
  rate?: number;
  seed: number;
  emit: (events: PracticeEvent[]) => void | Promise<void>;
  now?: () => number;
  tickMs?: number;
  /** Registered volunteers to draw from; defaults to the county's registry (match a scaled backfill). */
  volunteers?: number;
  /**
   * Where orders go: in the server, citizens' 点单 and ratings through the public routes and every
   * other step through the dispatch service, so the simulator and the console share one state
   * machine. Defaults to a local port that runs the same machine and
   * emits its events with the other flows'.
   */
  orders?: OrderPort;
  /** Appeals the store holds in progress: the simulator carries them on to their closure. */
  pendingAppeals?: readonly PendingAppeal[];
  /** The store's newest articles (four days' worth), read on from the first tick. */
  recentArticles?: readonly { id: string; nodeId: string }[];
  /** Volunteers the store holds checked in and not out: they check out as their activity ends. */
  openCheckins?: readonly OpenCheckin[];
  /**
   * The store's newest event: at the county's own rhythm, the first tick fills the time since
   * (at most MAX_GAP_MS) as the rhythm has it, so a restart continues the day's figures and trend.
   * Orders are not filled in: they go through the dispatch service, which keeps its own time.
   */
  since?: number | null;
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

/**
 * With an explicit rate, the quietest hour still runs at this share of an average hour, so a test at
 * 3 a.m. sees an activity within a minute or two; the day's average stays the rate (see `floorNorm`).
 */
const NIGHT_FLOOR = 0.5;
/** A sped-up run shortens activities, appeals and orders at most this much (3 hours → 3 minutes). */
const MAX_TIME_SCALE = 60;
/** The longest gap since the store's newest event that the first tick fills. */
const MAX_GAP_MS = 86_400_000;
/** After a stall (a sleeping laptop), catch up at most this many ticks' worth instead of a flood. */
const MAX_CATCH_UP_TICKS = 4;
const DAY_MS = 86_400_000;

/** Mean over an average day's hours of max(floor, the hour's level): the floored curve's excess, divided back out. */
function floorNorm(kind: Kind, floor: number): number {
  let sum = 0;
  for (let h = 0; h < 24; h++) sum += Math.max(floor, 24 * hourShare(kind, h));
  return sum / 24;
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now;
  const tickMs = opts.tickMs ?? 250;
  const onError = opts.onError ?? ((error: unknown) => console.error('simulator: emit failed', error));
  const { yearly } = countyFacts(opts.network);
  const timeZone = opts.network.county.timeZone ?? DEFAULT_TIME_ZONE;
  const speed = opts.rate === undefined ? 1 : opts.rate / (dailyEvents(yearly) / 86_400);
  const timeScale = Math.min(MAX_TIME_SCALE, Math.max(1, speed));
  const floor = opts.rate === undefined ? 0 : NIGHT_FLOOR;
  const norms = new Map(KINDS.map((kind) => [kind, floorNorm(kind, floor)]));
  /** Expected arrivals of `kind` in [from, to), as the rhythm has them, times the speed. */
  const expected = (kind: Kind, from: number, to: number): number => {
    const flat = (dailyCount(kind, yearly) * (to - from)) / DAY_MS;
    const level = Math.max(expectedCount(kind, yearly, from, to, timeZone), floor * flat);
    return (speed * level) / (norms.get(kind) ?? 1);
  };

  const registered = Math.max(1, opts.volunteers ?? volunteerCount(opts.network));
  const ctx = createFlowContext(opts.network, createRng(hashSeed(opts.seed, 0x51)), opts.seed, registered, now());
  const { rng } = ctx;
  const activities = activityFlow(ctx, timeScale);
  const appeals = appealFlow(ctx, timeScale);
  appeals.adopt(opts.pendingAppeals ?? [], now());
  activities.adopt(opts.openCheckins ?? [], now());
  // Reads per report so that a day's reads match the county's year / 365 whatever the speed.
  const readsPerReport = yearly.reads / 365 / (speed * dailyCount('read', yearly));
  const media = mediaFlows(ctx, () => activities.running(), readsPerReport, opts.recentArticles);
  const local = opts.orders ? null : localOrderPort(ctx);
  const orders = orderFlow(ctx, opts.orders ?? (local as NonNullable<typeof local>).port, timeScale);
  // Activities start on half-hour slots (shortened alike when sped up); a slot's activities are
  // drawn when its first check-ins fall due, a quarter of an hour before it starts.
  const slotMs = (SLOT_MIN * 60_000) / timeScale;
  const leadMs = (CHECKIN_WINDOW_MIN.before * 60_000) / timeScale;

  let last: number | null = null;
  const tick = async (): Promise<void> => {
    const t = now();
    const gapFrom = opts.rate === undefined && opts.since != null ? Math.max(opts.since, t - MAX_GAP_MS) : t;
    const from = last === null ? Math.min(gapFrom, t - tickMs) : Math.max(last, t - MAX_CATCH_UP_TICKS * tickMs);
    const ordersFrom = Math.max(from, t - MAX_CATCH_UP_TICKS * tickMs);
    last = t;
    if (t <= from) return;
    for (let s = Math.floor((from + leadMs) / slotMs + 1) * slotMs; s - leadMs <= t; s += slotMs) {
      const n = poisson(rng, expected('activity', s, s + slotMs));
      for (let i = 0; i < n; i++) activities.open(s);
    }
    const events: PracticeEvent[] = activities.step(t);
    // New arrivals fall anywhere in the tick, so long ticks (tests, catch-up) keep their hours.
    const within = (): number => Math.floor(from + rng.next() * (t - from));
    for (let i = poisson(rng, expected('appeal', from, t)); i > 0; i--) events.push(...appeals.open(within()));
    events.push(...appeals.step(t));
    for (let i = poisson(rng, expected('publish', from, t)); i > 0; i--)
      events.push(...media.publish.step(within(), 1));
    for (let i = poisson(rng, expected('read', from, t)); i > 0; i--) events.push(...media.read.step(within(), 1));
    orders.step(t, poisson(rng, expected('order', ordersFrom, t)));
    await orders.settle();
    if (local) events.push(...local.drain());
    events.sort((a, b) => a.ts - b.ts);
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
