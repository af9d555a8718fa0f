import { EventType } from '../../shared/events.js';
import type { FeedItem } from '../../shared/live.js';
import { maskName, maskText } from '../../shared/mask.js';
import type { EventRow } from '../store/events-repository.js';

/** Event types worth a line on the scroll board. */
export const FEED_TYPES: ReadonlySet<string> = new Set([
  EventType.checkin,
  EventType.appealReceived,
  EventType.mediaPublished,
  EventType.order,
]);

/**
 * A scroll-board line for a public screen: the person's name, and any phone or ID number or that
 * name typed into the title, are masked here, on the server, so a wall payload never carries more
 * than the wall may show.
 */
export function feedItemFromRow(row: EventRow, nodeName: string): FeedItem {
  const base = { id: row.id, type: row.type, ts: row.ts, nodeId: row.node_id, nodeName, tag: row.tag };
  // Orders are handled by institutions, not people: their actor is shown by the node, not as a name.
  if (row.type === EventType.order) return { ...base, who: '', what: '' };
  return { ...base, who: maskName(row.person_name), what: maskText(row.title, [row.person_name]) };
}
