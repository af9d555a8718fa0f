/**
 * A map-sized canvas above the vector layers, drawn by a callback in container pixels, with an
 * explicit pixel ratio (the wall is CSS-scaled: 4K walls need 2×, a 5760-wide wall 3×). The heat
 * and coverage layers draw on it. Written here rather than taking leaflet.heat: that plugin (0.2.0,
 * unmaintained) registers itself on a global `L` that Leaflet's ESM build does not create, and
 * sizes its canvas at 1× CSS pixels, so on a scaled wall the heat would be stretched and blurred.
 */
import * as L from 'leaflet';

export type Draw = (ctx: CanvasRenderingContext2D, map: L.Map, size: L.Point) => void;

export interface CanvasOverlay extends L.Layer {
  redraw(): void;
  setPixelRatio(ratio: number): void;
  readonly canvas: HTMLCanvasElement | null;
}

export function canvasOverlay(draw: Draw, initialRatio: number, className: string): CanvasOverlay {
  let ratio = initialRatio;
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
    // The heat layer reads its pixels back on every draw: keep the bitmap on the CPU side.
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
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
    ratio = next;
    redraw();
  };
  Object.defineProperty(layer, 'canvas', { get: () => canvas });
  return layer;
}
