/**
 * Where the trend's report annotations go: each is a dashed line at its bucket with its title
 * turned along it, and no two texts may sit on each other — not two titles, not a title over a
 * peak's pin, the running bucket's figure or the y axis' labels. Pure: the plot in pixels (the
 * chart measures itself), every text a rectangle in it; a title that finds no free place is
 * left out rather than drawn over another.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const hits = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** A title's rotated text: 12 px glyphs with 2 px padding, 5 px off the line, and 2 px to spare. */
const THICK = 20;
const OFF = 5;
const GLYPH = 12;
/** The peak pin (38 px, its point at the value) and the running bucket's figure above its dot. */
const PIN = { w: 40, h: 42 };
const RUNNING = { w: 44, h: 30 };

/** Which end of the line the title starts from, and on which side of it. */
export type MarkPosition = 'insideEndTop' | 'insideEndBottom' | 'insideStartTop' | 'insideStartBottom';

export interface PlacedMark {
  index: number;
  label: string;
  position: MarkPosition;
}

export interface Plot {
  /** Plot area in pixels (inside the grid's margins). */
  width: number;
  height: number;
  /** Buckets across it; the first sits on the left edge, the last on the right (no boundary gap). */
  count: number;
  /** The y axis' top (its max). */
  max: number;
}

/** Text length of a title in pixels (CJK glyphs are square; a Latin letter is narrower, counted as one). */
const length = (label: string) => Array.from(label).length * GLYPH + 10;

/**
 * Places the titles in order of importance (the order given): at the top of its line on the left
 * side, else on the right, else from the bottom; none that would touch a text already there.
 */
export function placeMarks(
  marks: readonly { index: number; label: string }[],
  values: readonly number[],
  peaks: readonly number[],
  plot: Plot,
): PlacedMark[] {
  const step = plot.count > 1 ? plot.width / (plot.count - 1) : plot.width;
  const x = (i: number) => i * step;
  const y = (v: number) => plot.height * (1 - Math.min(1, v / (plot.max || 1)));
  const taken: Box[] = [
    // The y axis' labels, left of the plot.
    { x: -60, y: -10, w: 60, h: plot.height + 20 },
    ...peaks.map((i) => ({ x: x(i) - PIN.w / 2, y: y(values[i] ?? 0) - PIN.h, w: PIN.w, h: PIN.h })),
  ];
  const last = values.length - 1;
  if (last >= 0)
    taken.push({ x: x(last) - RUNNING.w / 2, y: y(values[last] ?? 0) - RUNNING.h - 8, w: RUNNING.w, h: RUNNING.h });
  const placed: PlacedMark[] = [];
  for (const mark of marks) {
    const len = Math.min(length(mark.label), plot.height);
    const left = x(mark.index) - OFF - THICK;
    const right = x(mark.index) + OFF;
    const candidates: [MarkPosition, Box][] = [
      ['insideEndTop', { x: left, y: 0, w: THICK, h: len }],
      ['insideEndBottom', { x: right, y: 0, w: THICK, h: len }],
      ['insideStartTop', { x: left, y: plot.height - len, w: THICK, h: len }],
      ['insideStartBottom', { x: right, y: plot.height - len, w: THICK, h: len }],
    ];
    const free = candidates.find(
      ([, box]) => box.x >= -1 && box.x + box.w <= plot.width + 1 && !taken.some((t) => hits(t, box)),
    );
    if (!free) continue;
    taken.push(free[1]);
    placed.push({ index: mark.index, label: mark.label, position: free[0] });
  }
  return placed;
}
