import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Compile } from 'typebox/compile';
import { PracticeEventSchema, type PracticeEvent } from '../../shared/events.js';
import { generateNetwork } from '../../seed/network.js';
import { createSimulator } from '../../seed/simulator.js';
import { HAPPY_PATH } from '../../seed/history/params.js';
import { createFlowContext } from '../../seed/flows/context.js';
import { localOrderPort } from '../../seed/flows/order-port.js';
import type { OrderPort } from '../../seed/flows/orders.js';
import { createRng } from '../../shared/random.js';

const network = generateNetwork('shuangliu');
const check = Compile(PracticeEventSchema);
/** Local midnight in the county (UTC+8). */
const MIDNIGHT = Date.parse('2026-03-01T16:00:00Z');

/** Runs one simulated day with a fake clock, one tick a minute. */
async function simulateDay(rate: number): Promise<PracticeEvent[]> {
  let t = MIDNIGHT;
  const events: PracticeEvent[] = [];
  const sim = createSimulator({
    network,
    rate,
    seed: 5,
    now: () => t,
    tickMs: 60_000,
    emit: (batch) => void events.push(...batch),
  });
  for (let minute = 0; minute < 1440; minute++) {
    await sim.tick();
    t += 60_000;
  }
  return events;
}

describe('createSimulator', () => {
  let events: PracticeEvent[] = [];
  beforeAll(async () => {
    events = await simulateDay(1);
  });
  const localHour = (e: PracticeEvent): number => new Date(e.ts + 8 * 3_600_000).getUTCHours();

  it('emits only schema-valid events with unique ids', () => {
    expect(events.filter((e) => !check.Check(e))).toEqual([]);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('averages the requested rate over a day, quiet at night but never silent', () => {
    // the rate is an average day's; this is a Monday (fewer activities, more appeals than the average)
    expect(events.length / 86_400).toBeGreaterThan(0.9);
    expect(events.length / 86_400).toBeLessThan(1.1);
    const perHour = new Array<number>(24).fill(0);
    for (const e of events) perHour[localHour(e)] = (perHour[localHour(e)] ?? 0) + 1;
    expect(Math.min(...perHour)).toBeGreaterThan(0);
    // an explicit rate keeps a night floor of half an average hour, so 3 a.m. runs at about a third of 10 a.m.
    expect(perHour[3]).toBeLessThan((perHour[10] ?? 0) / 2);
  });

  it('emits every kind of event', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'checkin',
        'checkout',
        'volunteer.status',
        'appeal.received',
        'appeal.assigned',
        'appeal.replied',
        'appeal.closed',
        'order.transition',
        'media.published',
        'media.read',
      ]),
    );
  });

  it('moves orders through their states one version at a time', () => {
    const orders = new Map<string, Extract<PracticeEvent, { type: 'order.transition' }>[]>();
    for (const e of events)
      if (e.type === 'order.transition') orders.set(e.orderId, [...(orders.get(e.orderId) ?? []), e]);
    for (const steps of orders.values()) {
      steps.forEach((e, i) => {
        expect(e.version).toBe(i + 1);
        expect(e.from).toBe(i === 0 ? null : steps[i - 1]?.to);
        const exit = ['rejected', 'cancelled', 'expired'].includes(e.to);
        expect(exit ? i === steps.length - 1 : HAPPY_PATH[i] === e.to).toBe(true);
      });
    }
  });

  it('checks volunteers out only of activities they checked into', () => {
    const inside = new Set<string>();
    for (const e of events) {
      if (e.type === 'checkin') inside.add(`${e.activityId}/${e.volunteerId}`);
      if (e.type === 'checkout') expect(inside.delete(`${e.activityId}/${e.volunteerId}`)).toBe(true);
    }
  });

  it('closes almost every appeal it opens', () => {
    const received = events.filter((e) => e.type === 'appeal.received').length;
    const closed = events.filter((e) => e.type === 'appeal.closed').length;
    expect(closed / received).toBeGreaterThan(0.9);
  });
});

describe('createSimulator with an order port', () => {
  it('plays orders as commands through the port, following a dispatcher who acts in between', async () => {
    let t = MIDNIGHT;
    const inner = localOrderPort(createFlowContext(network, createRng(7), 7, 10_000, t));
    let stale = 0;
    let reassigned = 0;
    // A dispatcher at the console moves every claimed order to volunteer V000001 before the simulator's next step.
    const port: OrderPort = {
      request: (r) => inner.port.request(r),
      async command(c) {
        const answer = await inner.port.command(c);
        if (answer === null || answer === 'retry') return answer;
        if (answer.version !== c.expectedVersion + 1) stale += 1;
        if (answer.state !== 'claimed' || answer.assignee?.id === 'V000001') return answer;
        reassigned += 1;
        const target = { kind: 'volunteer' as const, id: 'V000001' };
        const command = { type: 'reassign' as const, target };
        return inner.port.command({ ...c, expectedVersion: answer.version, command, actor: '调度员' });
      },
      report: (e) => inner.port.report(e),
    };
    const sim = createSimulator({
      network,
      rate: 2,
      seed: 7,
      now: () => t,
      tickMs: 60_000,
      emit: () => undefined,
      orders: port,
    });
    for (let minute = 0; minute < 720; minute++) {
      await sim.tick();
      t += 60_000;
    }
    await sim.stop();
    const events = inner.drain();
    const started = events.filter((e) => e.type === 'order.transition' && e.to === 'in_service');
    expect(stale).toBe(0);
    expect(reassigned).toBeGreaterThan(0);
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((e) => e.type === 'order.transition' && e.volunteerId === 'V000001')).toBe(true);
    // Twelve simulated hours: generous on a busy 2-core machine; nothing here is about speed.
  }, 60_000);
});

describe('createSimulator start/stop', () => {
  afterEach(() => vi.useRealTimers());

  it('ticks on a timer and stop() waits for the batch in flight', async () => {
    vi.useFakeTimers();
    let release = (): void => undefined;
    let batches = 0;
    let finished = 0;
    const sim = createSimulator({
      network,
      rate: 100,
      seed: 1,
      tickMs: 250,
      emit: () =>
        new Promise<void>((resolve) => {
          batches += 1;
          release = () => {
            finished += 1;
            resolve();
          };
        }),
    });
    sim.start();
    await vi.advanceTimersByTimeAsync(300);
    expect(batches).toBe(1);
    const stopped = sim.stop();
    release();
    await stopped;
    expect(finished).toBe(1);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(batches).toBe(1);
  });
});
