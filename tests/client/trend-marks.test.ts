import { describe, expect, it } from 'vitest';
import { placeMarks, type PlacedMark } from '../../client/charts/trendMarks.js';
import { trendPeaks } from '../../client/charts/trendOption.js';

/** The rectangle a placed title covers, as the placement reckons it (20 px thick, 5 px off its line). */
function box(m: PlacedMark, step: number, height: number) {
  const x = m.index * step;
  const len = Math.min(Array.from(m.label).length * 12 + 10, height);
  const left = m.position.endsWith('Top');
  const top = m.position.startsWith('insideEnd');
  return { x: left ? x - 25 : x + 5, y: top ? 0 : height - len, w: 20, h: len };
}
const hits = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const flat = (n: number, v = 5) => Array.from({ length: n }, () => v);
const plot = { width: 400, height: 200, count: 60, max: 60 };
const step = plot.width / 59;

describe('trend annotations', () => {
  it('keeps two titles in neighbouring buckets apart: the second moves aside or is left out', () => {
    const placed = placeMarks(
      [
        { index: 30, label: '《西航港·书香润心》' },
        { index: 31, label: '《九江·乡音宣讲》' },
        { index: 32, label: '《黄甲·邻里节》' },
      ],
      flat(60),
      [],
      plot,
    );
    expect(placed.length).toBeGreaterThanOrEqual(2);
    for (const a of placed)
      for (const b of placed) if (a !== b) expect(hits(box(a, step, 200), box(b, step, 200))).toBe(false);
  });

  it("never covers the y axis' labels: a title at the first bucket turns to the right of its line", () => {
    const [first] = placeMarks([{ index: 0, label: '《开篇》' }], flat(60), [], plot);
    expect(first?.position).toBe('insideEndBottom');
  });

  it("moves a title off a peak's pin to the bottom of its line", () => {
    const values = flat(60, 5);
    values[20] = 50;
    const [m] = placeMarks([{ index: 20, label: '《峰值时刻的报道》' }], values, [20], plot);
    expect(m?.position.startsWith('insideStart')).toBe(true);
  });

  it("leaves out a title with no free place rather than drawing it over the running bucket's figure", () => {
    // A short plot: the title runs its whole height, and the running figure sits in the way.
    const short = { width: 400, height: 60, count: 60, max: 60 };
    const values = flat(60, 30);
    expect(placeMarks([{ index: 59, label: '《一篇很长很长的报道标题》' }], values, [], short)).toEqual([]);
  });

  it('keeps two peak pins apart: a peak in the next bucket to a higher one gets no pin of its own', () => {
    // The town wall's trend drew pins "15" and "16" on each other, two buckets apart.
    const values = flat(60, 1);
    [values[43], values[45], values[47]] = [15, 16, 22];
    expect(trendPeaks(values)).toEqual([47, 45, 43]);
    expect(trendPeaks(values, 3, 3)).toEqual([47, 43]);
    expect(trendPeaks(values, 3, 6)).toEqual([47]);
  });
});
