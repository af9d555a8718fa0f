import { describe, expect, it } from 'vitest';
import { FramePacer } from '../../../server/live/pacer.js';

describe('FramePacer', () => {
  const options = { minMs: 25, maxMs: 1_000, share: 5 };

  it('keeps the configured interval while ticks are cheap', () => {
    const pacer = new FramePacer(options);
    expect(pacer.interval).toBe(25);
    for (let i = 0; i < 20; i += 1) expect(pacer.next(2)).toBe(25);
  });

  it('stretches to share × what ticks take when sending frames costs more, and comes back when it costs less', () => {
    const pacer = new FramePacer(options);
    let interval = 0;
    for (let i = 0; i < 50; i += 1) interval = pacer.next(40);
    expect(interval).toBe(200);
    for (let i = 0; i < 50; i += 1) interval = pacer.next(1);
    expect(interval).toBe(25);
  });

  it('does not stretch far on one slow tick among cheap ones', () => {
    const pacer = new FramePacer(options);
    for (let i = 0; i < 20; i += 1) pacer.next(2);
    expect(pacer.next(100)).toBeLessThan(5 * 100);
    let interval = 0;
    for (let i = 0; i < 20; i += 1) interval = pacer.next(2);
    expect(interval).toBe(25);
  });

  it('never waits longer than its longest interval', () => {
    const pacer = new FramePacer(options);
    for (let i = 0; i < 20; i += 1) pacer.next(10_000);
    expect(pacer.interval).toBe(1_000);
  });
});
