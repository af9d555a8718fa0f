/** Feed event types (the wire's `type`) → i18n label keys; unknown types still show, as "动态". */
import { rippleColor } from '../../map/style';

export type FeedTypeKey =
  | 'checkin'
  | 'checkout'
  | 'volunteerStatus'
  | 'appealReceived'
  | 'appealAssigned'
  | 'appealReplied'
  | 'appealClosed'
  | 'order'
  | 'mediaPublished'
  | 'mediaRead'
  | 'signup'
  | 'other';

const KEYS: Readonly<Record<string, FeedTypeKey>> = {
  checkin: 'checkin',
  checkout: 'checkout',
  'volunteer.status': 'volunteerStatus',
  'appeal.received': 'appealReceived',
  'appeal.assigned': 'appealAssigned',
  'appeal.replied': 'appealReplied',
  'appeal.closed': 'appealClosed',
  'order.transition': 'order',
  'media.published': 'mediaPublished',
  'media.read': 'mediaRead',
  // Not an event: a volunteer's 活动报名, a line of its own on the feed (server/plugins/app/activities.ts).
  'activity.signup': 'signup',
};

export function feedTypeKey(type: string): FeedTypeKey {
  return KEYS[type] ?? 'other';
}

/** Badge colour: the same family colours as the map's ripples. */
export const feedTypeColor = rippleColor;
