/**
 * Demand heat drawn by hand (simpleheat's method): each point is a blurred alpha disc, the summed
 * alpha is then mapped through a colour ramp, in the device pixels of the context it is given.
 */
import type * as L from 'leaflet';
import type { HeatPoint } from '../../shared/queries/heat';

/** Cool blue → amber → red: demand reads as warmth, on the wall's dark blue ground. */
const STOPS: readonly [number, string][] = [
  [0.0, 'rgba(0, 140, 255, 0)'],
  [0.25, 'rgba(0, 200, 255, 0.55)'],
  [0.5, 'rgba(120, 255, 160, 0.75)'],
  [0.75, 'rgba(255, 200, 60, 0.88)'],
  [1.0, 'rgba(255, 70, 60, 0.95)'],
];

let palette: Uint8ClampedArray | null = null;
function ramp(): Uint8ClampedArray {
  if (palette) return palette;
  const c = document.createElement('canvas');
  c.width = 256;
  c.height = 1;
  const ctx = c.getContext('2d');
  if (!ctx) return new Uint8ClampedArray(1024);
  const g = ctx.createLinearGradient(0, 0, 256, 0);
  for (const [at, color] of STOPS) g.addColorStop(at, color);
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 256, 1);
  palette = ctx.getImageData(0, 0, 256, 1).data;
  return palette;
}

/** The weight that saturates the ramp: a high quantile, so one busy square does not pale the rest. */
export function saturation(points: readonly HeatPoint[]): number {
  if (points.length === 0) return 1;
  const sorted = points.map((p) => p.weight).sort((a, b) => a - b);
  return Math.max(2, sorted[Math.floor(sorted.length * 0.9)] ?? 1);
}

/**
 * One blurred disc, drawn once per radius and stamped per point (simpleheat's brush): a canvas
 * `filter: blur()` per point would re-blur thousands of times on every update.
 */
let brush: { radius: number; canvas: HTMLCanvasElement } | null = null;
function brushOf(radius: number): HTMLCanvasElement {
  if (brush?.radius === radius) return brush.canvas;
  const blur = radius * 0.5;
  const r = radius + blur;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = Math.ceil(r * 2);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    // The disc is drawn off-canvas and only its shadow lands inside: a soft-edged disc.
    ctx.shadowOffsetX = ctx.shadowOffsetY = canvas.width * 2;
    ctx.shadowBlur = blur;
    ctx.shadowColor = 'black';
    ctx.beginPath();
    ctx.arc(r - canvas.width * 2, r - canvas.width * 2, radius, 0, Math.PI * 2);
    ctx.fill();
  }
  brush = { radius, canvas };
  return canvas;
}

export function drawHeat(
  ctx: CanvasRenderingContext2D,
  map: L.Map,
  points: readonly HeatPoint[],
  radiusPx: number,
): void {
  if (points.length === 0) return;
  const max = saturation(points);
  const stamp = brushOf(Math.round(radiusPx * 0.6));
  const half = stamp.width / 2;
  for (const p of points) {
    const at = map.latLngToContainerPoint([p.lat, p.lon]);
    ctx.globalAlpha = Math.min(1, 0.25 + (0.75 * p.weight) / max);
    ctx.drawImage(stamp, at.x - half, at.y - half);
  }
  ctx.globalAlpha = 1;
  // Colourize the accumulated alpha, in device pixels.
  const { width, height } = ctx.canvas;
  const image = ctx.getImageData(0, 0, width, height);
  const data = image.data;
  const colors = ramp();
  for (let i = 3; i < data.length; i += 4) {
    const a = data[i] ?? 0;
    if (a === 0) continue;
    const j = a * 4;
    data[i - 3] = colors[j] ?? 0;
    data[i - 2] = colors[j + 1] ?? 0;
    data[i - 1] = colors[j + 2] ?? 0;
    data[i] = colors[j + 3] ?? 0;
  }
  ctx.putImageData(image, 0, 0);
}
