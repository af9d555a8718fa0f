/** `appeals.categories`: appeals received, closed and overdue in the window, by category (咨询 / 投诉 / 建议). */
import { Type, type Static } from 'typebox';
import { AppealCategory } from '../events.js';
import { HOUR, WindowSchema } from './window.js';

export const AppealsCategoriesParams = Type.Object({ window: WindowSchema }, { additionalProperties: false });
export type AppealsCategoriesParams = Static<typeof AppealsCategoriesParams>;

export interface CategoryCount {
  category: AppealCategory;
  received: number;
  closed: number;
  /** Received in the window, still open, and older than the category's limit (APPEAL_DUE_MS). */
  overdue: number;
}

/**
 * How long an appeal of each kind may stay open before it is overdue (网上群众路线's time limits): a
 * 咨询 is answered within a working day; a 投诉 needs looking into, three days; a 建议 goes to the
 * unit concerned and is answered within five. The articles give the closure rate, not the limits:
 * these are the common ones of government hotlines, one table so the wall, the map and the leader's
 * view count alike.
 */
export const APPEAL_DUE_MS: Readonly<Record<AppealCategory, number>> = {
  consult: 24 * HOUR,
  complaint: 3 * 24 * HOUR,
  suggestion: 5 * 24 * HOUR,
};

/** The limits as bound query parameters: categories and their limits in the same order. */
export function appealDueParams(): { dueCategories: string[]; dueMs: number[] } {
  const entries = Object.entries(APPEAL_DUE_MS);
  return { dueCategories: entries.map(([c]) => c), dueMs: entries.map(([, ms]) => ms) };
}
