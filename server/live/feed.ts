import { EventType } from '../../shared/events.js';
import type { FeedItem } from '../../shared/live.js';
import { maskName } from '../../shared/mask.js';
import type { EventRow } from '../store/events-repository.js';

/** Event types worth a line on the scroll board. */
export const FEED_TYPES: ReadonlySet<string> = new Set([
  EventType.checkin,
  EventType.appealReceived,
  EventType.mediaPublished,
  EventType.order,
]);

/**
 * A scroll-board line for a public screen: the person's name is masked here, on the server, so a
 * wall payload never carries more than the wall may show.
 */
export function feedItemFromRow(row: EventRow, nodeName: string): FeedItem {
  const what = row.title !== '' ? row.title : row.type === EventType.order ? row.tag : row.subject_id;
  return {
    id: row.id,
    type: row.type,
    ts: row.ts,
    nodeId: row.node_id,
    nodeName,
    who: maskName(row.person_name || row.actor),
    what: row.type === EventType.order ? `${row.subject_id} ${row.tag}` : what,
  };
}
