/**
 * How often the hub sends frames. A frame's sending is one write per screen, on the event loop
 * (a loopback `writev` is ≈ 20 µs with its JS around it: 500 walls ≈ 10 ms a frame, 4,000 ≈ 90 ms),
 * so a fixed interval that suits 200 screens starves ingest and handshakes at 4,000: the soak's
 * profile had the fan-out in 26 % of the server's time and in every stall over 800 ms. The interval
 * is the configured one (TICK_MS) while ticks are cheap, and stretches to `share` times what the
 * last ticks took (their moving average) when they are not, up to `maxMs`: sending frames keeps at
 * most 1/`share` of the loop, and a screen waits longer for a frame rather than everything waiting.
 */
export interface PacerOptions {
  /** The shortest interval (TICK_MS). */
  minMs: number;
  /** The longest: frames keep coming at least this often, however many screens. */
  maxMs: number;
  /** The interval is at least this many times a tick's cost. */
  share: number;
}

export class FramePacer {
  private average = 0;
  /** The interval until the next tick, ms. */
  interval: number;

  constructor(private readonly options: PacerOptions) {
    this.interval = options.minMs;
  }

  /** A tick took `ms` of the loop: answers the interval until the next one. */
  next(ms: number): number {
    // A moving average: one tick preempted by the machine does not stretch the next interval alone.
    this.average = this.average === 0 ? ms : this.average * 0.8 + ms * 0.2;
    const { minMs, maxMs, share } = this.options;
    this.interval = Math.min(maxMs, Math.max(minMs, Math.round(this.average * share)));
    return this.interval;
  }
}
