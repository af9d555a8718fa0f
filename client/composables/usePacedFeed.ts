/**
 * Paces the scroll board. The store holds the true newest events, but at tens of events a second
 * no one across the room can read a board that turns over four times a second. New items queue
 * and are revealed one at a time, each in its place by time; the queue keeps only the newest, so
 * the board never falls more than a couple of seconds behind. While `paused` (a pointer resting on
 * the board, to read a row), no row moves; new items keep queueing and are revealed, paced, when
 * the pause ends.
 */
import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue';
import type { FeedItem } from '../../shared/live';
import { newestFirst } from '../../shared/live-merge';

/** An item older than the board's top row by more than this is a late or replayed event, not news. */
const LATE_MS = 60_000;

export function usePacedFeed(
  source: Readonly<Ref<readonly FeedItem[]>>,
  rows: number,
  paused: Readonly<Ref<boolean>> = ref(false),
  intervalMs = 600,
) {
  const shown = shallowRef<FeedItem[]>(source.value.slice(0, rows));
  let queue: FeedItem[] = [];

  watch(source, (items) => {
    // The first frame (a snapshot) fills the board at once; pacing is for what follows.
    if (shown.value.length === 0) {
      shown.value = items.slice(0, rows);
      return;
    }
    const known = new Set([...shown.value, ...queue].map((i) => i.id));
    const newestShown = shown.value[0]?.ts ?? 0;
    const fresh = items.filter((i) => !known.has(i.id) && i.ts >= newestShown - LATE_MS);
    // Revealed oldest first, so the newest ends on top.
    if (fresh.length > 0) queue = [...queue, ...fresh].sort((a, b) => newestFirst(b, a)).slice(-rows);
  });

  /**
   * Reveals the oldest queued line in its place by time, not on top: a line that arrived late
   * (seconds behind lines already shown) sat above newer ones, so the board read out of order. One
   * that would land below the last row is dropped and the next one tried, so no tick is wasted.
   */
  function release(): void {
    if (paused.value) return;
    for (let next = queue.shift(); next; next = queue.shift()) {
      const placed = [...shown.value, next].sort(newestFirst);
      if (placed.indexOf(next) < rows) {
        shown.value = placed.slice(0, rows);
        return;
      }
    }
  }

  const timer = setInterval(release, intervalMs);
  onScopeDispose(() => clearInterval(timer));

  return shown;
}
