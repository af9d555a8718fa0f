/**
 * The order the dispatcher has open: announced to the others ("XX 正在处理"), with its ranked
 * candidates and its audit timeline, both re-read whenever the order moves to a new version.
 */
import { computed, ref, shallowRef, watch } from 'vue';
import type { AuditEntry, Candidate, OrderDetail, OrderView } from '../../shared/dispatch';
import { getJson } from '../http';
import { useDispatchStore } from '../stores/dispatch';

export function useSelection(visible: () => readonly OrderView[]) {
  const store = useDispatchStore();
  const selectedId = ref<string | null>(null);
  const selected = computed<OrderView | null>(() =>
    selectedId.value === null ? null : (store.board.get(selectedId.value) ?? null),
  );
  const candidates = shallowRef<Candidate[]>([]);
  const candidatesLoading = ref(false);
  const timeline = shallowRef<AuditEntry[]>([]);

  function select(id: string | null): void {
    selectedId.value = id;
  }

  /** j/k: the next or previous order in the board's visible order. */
  function step(delta: 1 | -1): void {
    const list = visible();
    if (list.length === 0) return;
    const at = list.findIndex((o) => o.id === selectedId.value);
    const next = at === -1 ? (delta === 1 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + delta));
    selectedId.value = list[next]?.id ?? null;
  }

  // Presence follows the selection, and is said again after a reconnect (the server forgot it).
  watch([selectedId, () => store.connection], ([id, conn]) => {
    if (conn === 'connected') store.view(id);
  });

  let asked = 0;
  async function refresh(order: OrderView): Promise<void> {
    const ticket = ++asked;
    candidatesLoading.value = true;
    const [ranked, detail] = await Promise.all([
      store.candidates(order.id),
      getJson<OrderDetail>(`/api/v1/orders/${encodeURIComponent(order.id)}`).catch(() => null),
    ]);
    // A slower answer for an order no longer selected must not overwrite the current one.
    if (ticket !== asked) return;
    candidatesLoading.value = false;
    candidates.value = ranked.ok ? ranked.data : [];
    if (detail) {
      timeline.value = detail.timeline;
      const notes = detail.timeline.filter((e) => e.action === 'note' && e.result === 'ok');
      store.addNotes(
        order.id,
        notes.map((e) => ({
          id: e.commandId,
          orderId: e.orderId,
          author: { id: e.actorId, name: e.actorName },
          text: e.message,
          at: e.at,
        })),
      );
    }
  }

  // Re-read on a new order or a new confirmed version of it (not on every board change). Not the
  // shown version: a prediction has the version the ack brings, and the trail read while the
  // command was in flight would then never be read again (seen working the console).
  const confirmedKey = () => {
    const id = selectedId.value;
    const order = id === null ? undefined : store.confirmed.get(id);
    return order ? `${order.id}@${order.version}` : '';
  };
  watch(confirmedKey, (key) => {
    const order = selectedId.value === null ? undefined : store.confirmed.get(selectedId.value);
    if (key === '' || !order) {
      candidates.value = [];
      timeline.value = [];
      return;
    }
    void refresh(order);
  });

  return { selectedId, selected, candidates, candidatesLoading, timeline, select, step };
}
