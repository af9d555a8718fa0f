/**
 * The phone app's tab bar, in order. Each tab names the route it opens and the words of its label
 * (`field.tabs.<key>`). 活动 and 签到 are the activities' (client/field/activities/routes.ts): a
 * tab's views are registered there, its place in the bar here.
 */
export interface FieldTab {
  key: 'tasks' | 'activities' | 'checkin' | 'me';
  /** The route's name (client/field/routes.ts). */
  route: string;
  /** An SVG path on a 24×24 grid, stroked: no icon font to load, no glyph a phone's fonts may lack. */
  icon: string;
}

export const FIELD_TABS: readonly FieldTab[] = [
  { key: 'tasks', route: 'field-tasks', icon: 'M9 5h10M9 12h10M9 19h10M4 5h1M4 12h1M4 19h1' },
  { key: 'activities', route: 'field-activities', icon: 'M5 21V4m0 0h11l-2 4 2 4H5' },
  { key: 'checkin', route: 'field-checkin', icon: 'M4 8V4h4M16 4h4v4M20 16v4h-4M8 20H4v-4M8 12h8' },
  { key: 'me', route: 'field-me', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 4-6 8-6s8 2 8 6' },
];
