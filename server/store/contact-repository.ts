/**
 * Full names and phone numbers, read only when a dispatcher asks to call someone (the route audits
 * every ask). Nothing else in the store answers them unmasked to a client.
 */
import type { Transport } from './transport.js';

export interface ContactRow {
  name: string;
  phone: string;
  /** The 所 whose dispatchers may see it ('' for the center). */
  scope_id: string;
}

export async function volunteerContact(t: Transport, volunteerId: string): Promise<ContactRow | null> {
  const rows = await t.query<ContactRow>(
    'SELECT name, phone, institute_id AS scope_id FROM volunteers FINAL WHERE id = {id:String} LIMIT 1',
    { id: volunteerId },
  );
  return rows[0] ?? null;
}

/** The citizen behind an appeal (诉求), as the appeal.received event carried them; `scope_id` is its node. */
export async function appealContact(t: Transport, appealId: string): Promise<ContactRow | null> {
  const rows = await t.query<ContactRow>(
    `SELECT person_name AS name, person_phone AS phone, node_id AS scope_id FROM events
     WHERE type = 'appeal.received' AND subject_id = {id:String} LIMIT 1`,
    { id: appealId },
  );
  return rows[0] ?? null;
}

/** The citizen behind a 点单 from a node's public page (they give a phone, no name); `scope_id` is its venue. */
export async function orderContact(t: Transport, orderId: string): Promise<ContactRow | null> {
  const rows = await t.query<ContactRow>(
    `SELECT '' AS name, phone, node_id AS scope_id FROM citizen_orders FINAL WHERE order_id = {id:String} LIMIT 1`,
    { id: orderId },
  );
  return rows[0] ?? null;
}
