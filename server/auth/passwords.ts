/**
 * Password hashing with Argon2id (the `argon2` package, prebuilt binaries inside it) at OWASP's
 * minimum cost: ~50 ms a check on a small server, 19 MiB each, so a burst of logins cannot exhaust
 * memory. The cost lives in each hash, so raising it later still verifies old hashes.
 */
import { argon2id, hash, verify } from 'argon2';
import { randomSecret } from './files.js';

const COST = { type: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, COST);

/** False for a wrong password and for a malformed hash alike (never throws on user input). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** 20 URL-safe characters (120 bits): printed once for a seeded account. */
export const generatePassword = (): string => randomSecret(15);
