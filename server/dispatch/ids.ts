/**
 * Ids derived from who issued a command and its id, so a command retried after a restart maps onto
 * the event it wrote the first time (ingest's duplicate check refuses the copy), while the same id
 * sent by someone else derives other ids: a command id names one sender's command, never another's.
 */
import { createHash } from 'node:crypto';

/** A name-based UUID (version 5 layout over SHA-256) of the issuer's principal id, `commandId` and a purpose. */
export function derivedId(issuer: string, commandId: string, purpose: string): string {
  const h = createHash('sha256')
    .update(`wmsj-dispatch\u0000${issuer}\u0000${commandId.toLowerCase()}\u0000${purpose}`)
    .digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of an order requested through the console: stable for the requester and the request's command id. */
export const orderIdFor = (issuer: string, commandId: string): string =>
  `ORD-${derivedId(issuer, commandId, 'order').replace(/-/g, '').slice(0, 12).toUpperCase()}`;

/**
 * The SLA timer's command on an order at a version. Not a UUID: callers' command ids must be UUIDs
 * (shared/dispatch.ts), so no caller can send one, and the system's answers are kept under the
 * system's principal besides.
 */
export const timerCommandId = (orderId: string, version: number, action: string): string =>
  `timer:${orderId}@${version}:${action}`;
