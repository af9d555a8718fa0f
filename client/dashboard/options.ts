/**
 * A panel's typed options. The server validated every file against PANEL_OPTIONS at load, so the
 * client trusts the shape (and does not ship TypeBox to the wall); absent options are `{}`.
 */
import type { Panel, PanelOptions, PanelType } from '../../shared/dashboard';
import type { QueryName, QueryParams } from '../../shared/queries/index';

export function panelOptions<T extends PanelType>(panel: Panel, type: T): Partial<PanelOptions<T>> {
  // A panel drawn by the wrong component (a registry mistake) gets no options rather than foreign ones.
  if (panel.type !== type) return {};
  return (panel.options ?? {}) as Partial<PanelOptions<T>>;
}

/** The panel's query with its parameters typed by name, or `fallback` when the file names none. */
export function panelQuery<Q extends QueryName>(
  panel: Panel,
  name: Q,
  fallback: QueryParams<Q>,
): { query: Q; params: QueryParams<Q> } {
  const params = panel.query?.name === name ? (panel.query.params as QueryParams<Q>) : fallback;
  return { query: name, params };
}
