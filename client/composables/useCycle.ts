/**
 * A panel's on-screen switch (trend windows, evaluation periods): a choice among `items` that a
 * click sets and that, with `cycleS`, steps to the next item by itself — a wall has no mouse.
 * A choice no longer among the items falls back to `fallback`.
 */
import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';

export function useCycle<T>(
  items: () => readonly T[],
  fallback: () => T,
  cycleS: () => number | undefined,
): { current: ComputedRef<T>; chosen: Ref<T | null> } {
  const chosen = ref<T | null>(null) as Ref<T | null>;
  const current = computed(() => {
    const c = chosen.value;
    return c !== null && items().includes(c) ? c : fallback();
  });
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  watch(
    () => [cycleS(), items().length] as const,
    ([seconds, count]) => {
      stop();
      if (!seconds || count < 2) return;
      timer = setInterval(() => {
        const list = items();
        chosen.value = list[(list.indexOf(current.value) + 1) % list.length] ?? null;
      }, seconds * 1000);
    },
    { immediate: true },
  );
  onScopeDispose(stop);
  return { current, chosen };
}
