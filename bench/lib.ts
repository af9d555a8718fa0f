/** Shared bits of the benchmarks: percentiles, event makers, and a printed result table. */
import { randomUUID } from 'node:crypto';
import type { PracticeEvent } from '../shared/events.js';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** A mix like a busy evening: media reads and check-ins on the given nodes (`checkinShare` of them check-ins). */
export function makeEvents(
  count: number,
  nodeIds: readonly string[],
  ts = Date.now(),
  checkinShare = 0.5,
): PracticeEvent[] {
  const events: PracticeEvent[] = [];
  const every = checkinShare > 0 ? Math.round(1 / checkinShare) : Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i += 1) {
    const nodeId = nodeIds[i % nodeIds.length] ?? 'C0';
    events.push(
      (i + 1) % every !== 0
        ? {
            id: randomUUID(),
            type: 'media.read',
            nodeId,
            ts,
            articleId: `M${i % 5000}`,
            reads: 1 + (i % 40),
            shares: i % 3,
          }
        : {
            id: randomUUID(),
            type: 'checkin',
            nodeId,
            ts,
            volunteerId: `V${String(i % 136_000).padStart(6, '0')}`,
            activityId: `A${i % 7200}`,
            volunteerName: '张小伟',
          },
    );
  }
  return events;
}

export interface BenchRow {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  goal?: string;
}

export function printTable(rows: readonly BenchRow[]): void {
  const lines = [
    '| bench | metric | value | baseline (same run) | ratio | goal |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const ratio = r.baseline ? `${round(r.value / r.baseline, 2)}×` : '';
    lines.push(
      `| ${r.bench} | ${r.metric} | ${r.value} ${r.unit} | ${r.baseline ?? ''} | ${ratio} | ${r.goal ?? ''} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
