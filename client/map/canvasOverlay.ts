/**
 * A map-sized canvas above the vector layers, drawn by a callback in container pixels, with an
 * explicit pixel ratio (the wall is CSS-scaled: 4K walls need 2× for crisp edges). The heat and
 * coverage layers draw on it. Written here rather than taking leaflet.heat: that plugin (0.2.0,
 * unmaintained) registers itself on a global `L` that Leaflet's ESM build does not create, sizes
 * its canvas at 1× with no way to change it (the coverage blocks and circles need 2× on a 4K wall),
 * and redraws on its own schedule; here each layer says its ratio cap and redraws on data only.
 */
import * as L from 'leaflet';

export type Draw = (ctx: CanvasRenderingContext2D, map: L.Map, size: L.Point) => void;

export interface CanvasOverlay extends L.Layer {
  redraw(): void;
  setPixelRatio(ratio: number): void;
  readonly canvas: HTMLCanvasElement | null;
}

export interface OverlayOptions {
  /** Cap on the pixel ratio: a layer that is blurred anyway gains nothing from 2× but the cost. */
  maxRatio?: number;
  /** The layer reads its pixels back on every draw: keep the bitmap on the CPU side. */
  readBack?: boolean;
}

export function canvasOverlay(
  draw: Draw,
  initialRatio: number,
  className: string,
  options: OverlayOptions = {},
): CanvasOverlay {
  const cap = (r: number): number => Math.min(r, options.maxRatio ?? Infinity);
  let ratio = cap(initialRatio);
  let canvas: HTMLCanvasElement | null = null;
  let map: L.Map | null = null;

  const layer = new L.Layer() as CanvasOverlay;
  const redraw = (): void => {
    if (!map || !canvas) return;
    const size = map.getSize();
    // The overlay pane moves with the map; pin the canvas to the container's top-left corner.
    L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
    canvas.width = Math.round(size.x * ratio);
    canvas.height = Math.round(size.y * ratio);
    canvas.style.width = `${size.x}px`;
    canvas.style.height = `${size.y}px`;
    const ctx = canvas.getContext('2d', { willReadFrequently: options.readBack ?? false });
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    draw(ctx, map, size);
  };
  layer.onAdd = (m: L.Map) => {
    map = m;
    canvas = L.DomUtil.create('canvas', `leaflet-layer ${className}`);
    canvas.style.pointerEvents = 'none';
    m.getPanes().overlayPane.appendChild(canvas);
    m.on('moveend zoomend resize viewreset', redraw);
    redraw();
    return layer;
  };
  layer.onRemove = (m: L.Map) => {
    m.off('moveend zoomend resize viewreset', redraw);
    canvas?.remove();
    canvas = null;
    map = null;
    return layer;
  };
  layer.redraw = redraw;
  layer.setPixelRatio = (next: number) => {
    ratio = cap(next);
    redraw();
  };
  Object.defineProperty(layer, 'canvas', { get: () => canvas });
  return layer;
}
