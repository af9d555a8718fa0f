/**
 * A panel's live query: subscribes while the component lives, follows its parameters (a drill-down
 * changes the scope, a window switch the window), and answers the latest result with its freshness.
 */
import { computed, onScopeDispose, toValue, watch, type ComputedRef, type MaybeRefOrGetter } from 'vue';
import type { QueryName } from '../../shared/queries/index';
import { registerExportTarget } from '../exports/targets';
import { requestId, useQueriesStore, type PanelRequest, type PanelResult } from '../stores/queries';

export function usePanelQuery<Q extends QueryName>(
  request: MaybeRefOrGetter<PanelRequest<Q>>,
): ComputedRef<PanelResult<Q>> {
  const queries = useQueriesStore();
  let release: (() => void) | null = null;
  watch(
    () => requestId(toValue(request)),
    () => {
      const next = queries.hold(toValue(request));
      release?.();
      release = next;
    },
    { immediate: true },
  );
  onScopeDispose(() => release?.());
  // The frame around the panel offers what it reads as an export (client/exports/).
  registerExportTarget(() => toValue(request));
  return computed(() => queries.result(toValue(request)) ?? { data: null, asOf: null, error: null });
}
