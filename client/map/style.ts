/** The map's visual language, shared by the layers and the legend so the two never disagree. */
import type { NodeLevel } from '../../shared/network';

export interface LevelStyle {
  color: string;
  radius: number;
  /** A soft halo drawn under the dot (0 = none). */
  halo: number;
}

export const LEVEL_STYLE: Record<NodeLevel, LevelStyle> = {
  center: { color: '#ffd54a', radius: 0, halo: 0 }, // drawn as a DOM star, see WallMap
  institute: { color: '#00e5ff', radius: 6.5, halo: 13 },
  station: { color: '#3fa2ff', radius: 3.6, halo: 0 },
  point: { color: '#7ef0c4', radius: 1.9, halo: 0 },
};

/** Subtle, distinct fills for the town areas, cycled by institute. */
export const TOWN_FILLS = [
  '#1f6fd1',
  '#1aa0b8',
  '#2f58c9',
  '#178f9e',
  '#3a7de0',
  '#1c86c9',
  '#285fb3',
  '#13a4a8',
  '#3468d8',
];

export const COLORS = {
  outline: '#5ff6ff',
  outlineGlow: '#00d8ff',
  townBorder: 'rgba(120, 220, 255, 0.45)',
  extrusion: '#06214a',
  linkCenter: '#ffd54a',
  linkInstitute: '#36c6ff',
} as const;

/** Ripple colour per live event family. */
export function rippleColor(type: string): string {
  if (type.startsWith('appeal')) return '#ffb547';
  if (type.startsWith('media')) return '#c48bff';
  if (type.startsWith('order')) return '#ff7a7a';
  return '#3ff0ff';
}

/** Levels top-down, as the legend lists them (a local list keeps TypeBox out of the bundle). */
export const LEVELS: readonly NodeLevel[] = ['center', 'institute', 'station', 'point'];
