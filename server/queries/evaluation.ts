/**
 * `evaluation`, scored with the configured weights (the context's, loaded at start). A ranking read
 * in a meeting need not move every second; a new day or month changes it without any event
 * arriving, hence the refresh.
 */
import { EventType } from '../../shared/events.js';
import { queryEvaluation } from '../store/evaluation-repository.js';
import type { QueryDefinition } from './definition.js';

export const evaluation: QueryDefinition<'evaluation'> = {
  sources: () => [EventType.checkin, EventType.checkout, EventType.order, EventType.appealClosed, EventType.mediaRead],
  refreshMs: 300_000,
  run: (ctx, params, scope) => queryEvaluation(ctx.store, ctx.now, params, scope, ctx.config.evaluation),
};
