/**
 * The unit project's files share a process (vitest.config.ts): a test that froze the clock with
 * fake timers must not leave the next file's `Date.now()` standing still.
 */
import { afterEach, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});
