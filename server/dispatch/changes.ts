/**
 * What one node tells the others about dispatch (several nodes, issue 18.2), on the live peers'
 * stream (live/peers.ts): every node's projection, offers and presence follow every other node's
 * changes from it, and each node pushes them to its own sockets. The stream, not the Socket.IO
 * adapter's broadcast: the console's pushes are numbered per room by the node that sends them
 * (sockets/room-sequence.ts), so each node must send its own sockets every change itself, and a
 * stream reader that loses Redis for a moment resumes where it was.
 */
import type { Viewer } from '../../shared/dispatch.js';
import type { VolunteerStatus } from '../../shared/events.js';
import type { Offer } from '../../shared/field.js';
import type { OrderRecord } from './order-versions.js';

export type DispatchChange =
  /** An accepted command or 点单: the order after it, the town it left, the offers it settled. */
  | { type: 'order'; record: OrderRecord; previousInstituteId: string; offers: Offer[] }
  /** An offer opened or declined. */
  | { type: 'offer'; offer: Offer }
  /** A volunteer's own status report (en route, off duty). */
  | { type: 'status'; volunteerId: string; status: VolunteerStatus }
  /** The dispatchers on the sending node who have this order open now (presence). */
  | { type: 'viewing'; orderId: string; viewers: Viewer[] }
  /** A node that just started asks the others for their presence. */
  | { type: 'hello' };
