/**
 * What a panel can be exported as: the named queries its components read, as they read them now
 * (the window or period a switch chose, the scope drilled to). usePanelQuery registers each request
 * with the frame around it (PanelFrame provides the registry), so a panel component keeps its fixed
 * props and needs no code of its own to be exportable.
 */
import { inject, onScopeDispose, shallowRef, type InjectionKey, type ShallowRef } from 'vue';
import { isExportQuery, type ExportQuery } from '../../shared/export-file';
import type { PanelRequest } from '../stores/queries';

type Read = () => PanelRequest;
export type RegisterTarget = (read: Read) => () => void;
export const EXPORT_TARGETS_KEY: InjectionKey<RegisterTarget> = Symbol('export-targets');

/** The frame's side: the registry it provides, and the requests registered in it. */
export function exportTargets(): { register: RegisterTarget; reads: ShallowRef<readonly Read[]> } {
  const reads = shallowRef<readonly Read[]>([]);
  const register: RegisterTarget = (read) => {
    reads.value = [...reads.value, read];
    return () => (reads.value = reads.value.filter((r) => r !== read));
  };
  return { register, reads };
}

/** The panel's side (usePanelQuery): registers a live request with the enclosing frame, if any. */
export function registerExportTarget(read: Read): void {
  const register = inject(EXPORT_TARGETS_KEY, null);
  if (register) onScopeDispose(register(read));
}

export type ExportTarget = PanelRequest & { query: ExportQuery };

/** The exportable ones among the requests, each query once (a panel may read one twice). */
export function exportable(requests: readonly PanelRequest[]): ExportTarget[] {
  const seen = new Set<string>();
  return requests.filter((r): r is ExportTarget => {
    if (!isExportQuery(r.query) || seen.has(r.query)) return false;
    seen.add(r.query);
    return true;
  });
}
