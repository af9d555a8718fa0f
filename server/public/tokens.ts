/**
 * Tracking tokens: 256 random bits, base64url (43 characters), handed to the citizen once and kept
 * only as their SHA-256. A token is looked up by its hash, and the stored hash is compared in
 * constant time besides, so neither the lookup nor the comparison tells a guesser how close it came.
 * Anything not shaped like a token is answered exactly as an unknown one.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const newToken = (): string => randomBytes(32).toString('base64url');

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** The hash to look up, or null for a value that cannot be a token (answered as unknown). */
export const lookupHash = (token: unknown): string | null =>
  typeof token === 'string' && TOKEN.test(token) ? hashToken(token) : null;

/** Constant-time equality of two hex hashes of the same length. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
