/**
 * A panel's on-screen switch (trend windows, evaluation periods): a choice among `items` that a
 * click sets and that, with `cycleS`, steps to the next item by itself — a wall has no mouse.
 * A choice no longer among the items falls back to `fallback`. `forced` (a meeting tablet's pick for
 * this panel) overrides both while it names one of the items, and holds the cycle still meanwhile.
 */
import { computed, onScopeDispose, ref, watch, type ComputedRef, type Ref } from 'vue';

export function useCycle<T>(
  items: () => readonly T[],
  fallback: () => T,
  cycleS: () => number | undefined,
  forced: () => string | undefined = () => undefined,
): { current: ComputedRef<T>; chosen: Ref<T | null> } {
  const chosen = ref<T | null>(null) as Ref<T | null>;
  const held = computed(() => {
    const f = forced();
    return items().find((item) => item === f);
  });
  const current = computed(() => {
    if (held.value !== undefined) return held.value;
    const c = chosen.value;
    return c !== null && items().includes(c) ? c : fallback();
  });
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  watch(
    () => [cycleS(), items().length, held.value !== undefined] as const,
    ([seconds, count, isHeld]) => {
      stop();
      if (!seconds || count < 2 || isHeld) return;
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
