/**
 * A call to the Redis several nodes share, refused clearly when Redis is out of reach: at once when
 * the connection is down (ioredis would otherwise queue the command until it gives up, some ten
 * seconds later), and after a deadline when Redis holds a command without answering (a partition,
 * a stopped process). What depends on the answer — a login's lockout place, a token's revocation,
 * an order's version — is then refused with SHARED_UNAVAILABLE (503), never accepted unchecked,
 * and the next call after Redis is back goes through as usual.
 */
import type { Redis } from 'ioredis';
import { Errors } from '../errors.js';

/** Longer than any command of these stores takes on a loaded Redis; short enough for a person to retry. */
export const REDIS_DEADLINE_MS = 3_000;

export async function reach<T>(redis: Redis, call: (redis: Redis) => Promise<T>): Promise<T> {
  if (redis.status !== 'ready') throw new Errors.SHARED_UNAVAILABLE();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Errors.SHARED_UNAVAILABLE()), REDIS_DEADLINE_MS);
  });
  try {
    return await Promise.race([call(redis), deadline]);
  } catch (error) {
    if (error instanceof Errors.SHARED_UNAVAILABLE) throw error;
    throw Object.assign(new Errors.SHARED_UNAVAILABLE(), { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
