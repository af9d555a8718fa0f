/**
 * SMS login codes for volunteers: a provider sends them (only `LogSmsProvider` exists, which writes
 * the code to the server log and sends nothing, named so in every line), and `SmsCodes` keeps each
 * phone's current code hashed, for 5 minutes and 5 tries, one new code a minute per phone — in this
 * process; several nodes keep them in Redis (sms-redis.ts), since the code may be asked for at one
 * node and typed in at another.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger as Logger } from 'fastify';
import { maskPhone } from '../../shared/mask.js';
import type { Awaitable } from '../auth/directories.js';

export interface SmsProvider {
  /** How the provider names itself in the log and the README. */
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/** Writes the message to the log instead of sending it: for a county without an SMS gateway yet, and tests. */
export class LogSmsProvider implements SmsProvider {
  readonly name = 'SMS (log provider, not sent)';
  constructor(private readonly log: Logger) {}

  send(phone: string, text: string): Promise<void> {
    this.log.warn({ provider: 'log', to: maskPhone(phone), text }, this.name);
    return Promise.resolve();
  }
}

export const SMS_CODE_TTL_MS = 5 * 60_000;
export const SMS_CODE_TRIES = 5;
export const SMS_RESEND_MS = 60_000;

interface Held {
  salt: Buffer;
  hash: Buffer;
  expiresAt: number;
  issuedAt: number;
  triesLeft: number;
}

export const digest = (salt: Buffer, code: string): Buffer => createHash('sha256').update(salt).update(code).digest();

/** Where the codes are kept: this process (SmsCodes) or the nodes' Redis (RedisSmsCodes). */
export interface LoginCodes {
  /** A new 6-digit code for the phone, or null when the last one was issued less than a minute ago. */
  issue(phone: string): Awaitable<string | null>;
  /** True once for the right code within its time; a wrong one uses up a try, the last try the code. */
  check(phone: string, code: string): Awaitable<boolean>;
}

/** A fresh 6-digit code, and its salted hash: only the hash is kept. */
export function newCode(): { code: string; salt: Buffer; hash: Buffer } {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const salt = randomBytes(16);
  return { code, salt, hash: digest(salt, code) };
}

export class SmsCodes implements LoginCodes {
  private readonly codes = new Map<string, Held>();

  constructor(
    private readonly clock: () => number = Date.now,
    /** Bounds memory under a flood of made-up phones: the oldest codes go first. */
    private readonly maxPhones = 10_000,
  ) {}

  issue(phone: string): string | null {
    const now = this.clock();
    const held = this.codes.get(phone);
    if (held && now - held.issuedAt < SMS_RESEND_MS) return null;
    const { code, salt, hash } = newCode();
    this.codes.delete(phone);
    this.codes.set(phone, {
      salt,
      hash,
      expiresAt: now + SMS_CODE_TTL_MS,
      issuedAt: now,
      triesLeft: SMS_CODE_TRIES,
    });
    if (this.codes.size > this.maxPhones) {
      const oldest = this.codes.keys().next().value;
      if (oldest !== undefined) this.codes.delete(oldest);
    }
    return code;
  }

  check(phone: string, code: string): boolean {
    const held = this.codes.get(phone);
    if (!held) return false;
    if (held.expiresAt <= this.clock()) {
      this.codes.delete(phone);
      return false;
    }
    if (timingSafeEqual(digest(held.salt, code), held.hash)) {
      this.codes.delete(phone);
      return true;
    }
    held.triesLeft -= 1;
    if (held.triesLeft <= 0) this.codes.delete(phone);
    return false;
  }
}
