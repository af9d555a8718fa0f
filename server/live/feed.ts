import { EventType } from '../../shared/events.js';
import type { PracticeEvent } from '../../shared/events.js';
import type { FeedItem } from '../../shared/live.js';
import { newestFirst } from '../../shared/live-merge.js';
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
 * The newest `n` events worth a feed line, newest first: the same as filtering by FEED_TYPES,
 * sorting with `newestFirst` (stable) and cutting to `n`, without sorting the whole batch. The hub
 * runs this on every accepted batch; sorting 10,000 events to keep 30 was 4.7 % of the ingest
 * bench's server time (profile of `BENCH_PROFILE=… npm run bench -- ingest`).
 */
export function newestFeedEvents(events: readonly PracticeEvent[], n: number): PracticeEvent[] {
  const kept: PracticeEvent[] = [];
  if (n <= 0) return kept;
  for (const e of events) {
    if (!FEED_TYPES.has(e.type)) continue;
    const last = kept[kept.length - 1];
    if (kept.length === n && last && newestFirst(e, last) >= 0) continue;
    // After every line that sorts before it or equal to it: a stable sort's order.
    let at = kept.length;
    while (at > 0 && newestFirst(e, kept[at - 1] as PracticeEvent) < 0) at -= 1;
    kept.splice(at, 0, e);
    if (kept.length > n) kept.pop();
  }
  return kept;
}

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
