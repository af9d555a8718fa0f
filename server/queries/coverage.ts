/** `coverage`: depends on the network only, which does not change while the server runs. */
import { queryCoverage } from '../store/coverage-repository.js';
import type { QueryDefinition } from './definition.js';

export const coverage: QueryDefinition<'coverage'> = {
  sources: () => [],
  refreshMs: 3_600_000,
  run: (ctx, params, scope) => queryCoverage(ctx.store, ctx.now, params, scope),
};
