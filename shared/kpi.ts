/** KPI figures shown on the wall and their pure formulas. */
import { Type, type Static } from 'typebox';

export const KpiSnapshotSchema = Type.Object({
  /** 注册志愿者 */
  registeredVolunteers: Type.Integer(),
  /** 在岗志愿者: checked in and not yet checked out today. */
  volunteersActive: Type.Integer(),
  /** 今日活动: distinct activities with a check-in today. */
  activitiesToday: Type.Integer(),
  /** 今日签到 */
  checkinsToday: Type.Integer(),
  /** 诉求受理 / 办结 (all time, as the articles report them). */
  appealsReceived: Type.Integer(),
  appealsClosed: Type.Integer(),
  /** 办结率, 0..1 */
  appealClosureRate: Type.Number(),
  /** 今日阅读量 */
  mediaReadsToday: Type.Integer(),
  /** Epoch ms the figures are valid at. */
  asOf: Type.Integer(),
});
export type KpiSnapshot = Static<typeof KpiSnapshotSchema>;

export const KPI_KEYS = [
  'registeredVolunteers',
  'volunteersActive',
  'activitiesToday',
  'checkinsToday',
  'appealsReceived',
  'appealsClosed',
  'appealClosureRate',
  'mediaReadsToday',
] as const satisfies readonly (keyof KpiSnapshot)[];
export type KpiKey = (typeof KPI_KEYS)[number];

/** Closed ÷ received, 0 when nothing was received; never above 1 (a close may precede its receipt in a replay). */
export function closureRate(received: number, closed: number): number {
  if (received <= 0) return 0;
  return Math.min(1, closed / received);
}

export function emptyKpi(asOf: number): KpiSnapshot {
  return {
    registeredVolunteers: 0,
    volunteersActive: 0,
    activitiesToday: 0,
    checkinsToday: 0,
    appealsReceived: 0,
    appealsClosed: 0,
    appealClosureRate: 0,
    mediaReadsToday: 0,
    asOf,
  };
}
