/**
 * Registry entries of the panel-content queries (shared/panel-queries.ts), spread into QUERIES.
 * Period views (month, half-year, year) also refresh on a timer: a new day or month changes them
 * without any event arriving.
 */
import { EventType } from '../../shared/events.js';
import { queryKpiCompare } from '../store/compare-repository.js';
import { queryEvaluation } from '../store/evaluation-repository.js';
import { queryBrandRanking, queryMediaPropagation } from '../store/media-repository.js';
import { maskPropagation } from './mask-panels.js';
import type { QueryDefinition } from './queries.js';

const MEDIA = [EventType.mediaPublished, EventType.mediaRead];

export const PANEL_CONTENT_QUERIES: {
  'kpi.compare': QueryDefinition<'kpi.compare'>;
  evaluation: QueryDefinition<'evaluation'>;
  'brands.ranking': QueryDefinition<'brands.ranking'>;
  'media.propagation': QueryDefinition<'media.propagation'>;
} = {
  'kpi.compare': {
    sources: () => [
      EventType.checkin,
      EventType.appealReceived,
      EventType.appealClosed,
      EventType.order,
      EventType.checkout,
      EventType.mediaRead,
    ],
    // Yesterday's side moves with the clock alone.
    refreshMs: 60_000,
    run: queryKpiCompare,
  },
  evaluation: {
    sources: () => [
      EventType.checkin,
      EventType.checkout,
      EventType.order,
      EventType.appealClosed,
      EventType.mediaRead,
    ],
    // A ranking read in a meeting need not move every second: at most once a minute per change.
    refreshMs: 300_000,
    run: (t, now, params, scope) => queryEvaluation(t, now, params, scope),
  },
  'brands.ranking': {
    sources: () => [...MEDIA, EventType.checkin],
    refreshMs: 300_000,
    run: queryBrandRanking,
  },
  'media.propagation': {
    sources: () => MEDIA,
    refreshMs: 60_000,
    run: async (...args) => maskPropagation(await queryMediaPropagation(...args)),
  },
};
