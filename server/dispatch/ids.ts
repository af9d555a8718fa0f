/**
 * Ids derived from a command id, so a command retried after a restart maps onto the event it wrote
 * the first time, and ingest's duplicate check refuses the copy.
 */
import { createHash } from 'node:crypto';

/** A name-based UUID (version 5 layout over SHA-256) of `commandId` and a purpose. */
export function derivedId(commandId: string, purpose: string): string {
  const h = createHash('sha256').update(`wmsj-dispatch\u0000${commandId.toLowerCase()}\u0000${purpose}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The id of an order requested through the console: stable for the request's command id. */
export const orderIdFor = (commandId: string): string =>
  `ORD-${derivedId(commandId, 'order').replace(/-/g, '').slice(0, 12).toUpperCase()}`;
