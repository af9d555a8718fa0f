/**
 * Coalesces work to the display's frame rate: however often `request()` is called between two
 * frames, `apply` runs once, before the next frame is drawn. At 100 updates/s a wall otherwise
 * re-rendered (and ECharts re-laid out) once per message, several times within one 16 ms frame.
 *
 * A page the browser does not draw (a hidden tab) gets no animation frames; a timer stands in, so
 * what it shows is never more than FALLBACK_MS (or the browser's background timer clamp) behind.
 */

/** How long a request may wait for an animation frame before a timer applies it anyway. */
export const FALLBACK_MS = 250;

export interface FrameCoalescer {
  /** Asks for one `apply` before the next frame; more requests until then are the same one. */
  request(): void;
  /** Runs a requested `apply` now (a test, or a caller that must read the applied state at once). */
  flush(): void;
  /** Drops a requested `apply` without running it. */
  cancel(): void;
  readonly pending: boolean;
}

export function frameCoalescer(apply: () => void): FrameCoalescer {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const cancel = (): void => {
    if (frame !== null) globalThis.cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = timer = null;
  };
  const run = (): void => {
    cancel();
    apply();
  };
  return {
    request() {
      if (timer !== null) return;
      // Read at call time, not at import: a test (Node has no animation frames) may provide one.
      if (typeof globalThis.requestAnimationFrame === 'function') frame = globalThis.requestAnimationFrame(run);
      timer = setTimeout(run, FALLBACK_MS);
    },
    flush() {
      if (timer !== null) run();
    },
    cancel,
    get pending() {
      return timer !== null;
    },
  };
}
