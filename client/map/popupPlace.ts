/**
 * Where a node's card opens on the map: beside the node (right of it, or left near the right
 * edge), inside the map, and off the cards pinned over the map (the 500 m and 实时状态 cards at the
 * top right, the legend, the controls) so it never hides their labels. Pure: rectangles in the map's pixels.
 */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const GAP = 18;

export const overlaps = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** The card's top-left corner: the first place beside the node that covers no pinned card, else the least covered. */
export function placeCard(
  node: { x: number; y: number },
  map: { w: number; h: number },
  card: { w: number; h: number },
  avoid: readonly Rect[],
): { x: number; y: number } {
  const clampY = (y: number) => Math.min(Math.max(y, 0), Math.max(0, map.h - card.h));
  const clampX = (x: number) => Math.min(Math.max(x, 0), Math.max(0, map.w - card.w));
  const xs = [node.x + GAP, node.x - GAP - card.w].filter((x) => x >= 0 && x + card.w <= map.w);
  if (xs.length === 0) xs.push(clampX(node.x + GAP));
  // Centred on the node first, then slid down or up past each pinned card.
  const ys = [clampY(node.y - card.h / 2), ...avoid.flatMap((r) => [clampY(r.y + r.h + 8), clampY(r.y - 8 - card.h)])];
  let best = { x: xs[0] ?? 0, y: ys[0] ?? 0, cover: Infinity };
  for (const x of xs) {
    for (const y of ys) {
      const rect = { x, y, w: card.w, h: card.h };
      const cover = avoid.reduce((sum, r) => sum + (overlaps(rect, r) ? area(intersect(rect, r)) : 0), 0);
      // Nearest to the node among equally clear places: the card stays beside what it describes.
      const far = Math.abs(y + card.h / 2 - node.y) / 1e6;
      if (cover + far < best.cover) best = { x, y, cover: cover + far };
    }
  }
  return { x: best.x, y: best.y };
}

const area = (r: Rect) => Math.max(0, r.w) * Math.max(0, r.h);
const intersect = (a: Rect, b: Rect): Rect => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  return { x, y, w: Math.min(a.x + a.w, b.x + b.w) - x, h: Math.min(a.y + a.h, b.y + b.h) - y };
};
