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
export function feedItemFromRow(row: EventRow, nodeName: string, note: FeedNote = NO_NOTE): FeedItem {
  const base = { id: row.id, type: row.type, ts: row.ts, nodeId: row.node_id, nodeName, tag: row.tag };
  // Orders are handled by institutions, not people: their actor is shown by the node, not as a name.
  if (row.type === EventType.order) return { ...base, who: '', what: '' };
  const what = row.title === '' ? note(row.type, row.subject_id) : row.title;
  return { ...base, who: maskName(row.person_name), what: maskText(what, [row.person_name]) };
}

/**
 * A line's words from outside the event: a check-in at a published activity reads "社区义诊 12/30"
 * (its title, checked in / places), said by the activities service (server/activities/feed-note.ts);
 * '' when there is nothing to add.
 */
export type FeedNote = (type: string, subjectId: string) => string;
export const NO_NOTE: FeedNote = () => '';
