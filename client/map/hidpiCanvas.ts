/**
 * Leaflet's canvas renderer sizes its backing store at 1× or 2× (`Browser.retina`). The wall's
 * map sits on a CSS-scaled surface, so on a 4K or 5760-wide wall that bitmap would be stretched
 * and the node dots blur. This renderer takes the ratio explicitly. It overrides the one method
 * (Leaflet 1.9 `Canvas._update`) that sizes the canvas; the rest is Leaflet's own.
 */
import * as L from 'leaflet';

/** The private parts of L.Canvas that `_update` touches (not in @types/leaflet). */
interface CanvasInternals {
  _map: L.Map & { _animatingZoom?: boolean };
  _bounds: L.Bounds | undefined;
  _container: HTMLCanvasElement;
  _ctx: CanvasRenderingContext2D;
  fire(type: string): void;
}

export interface HiDpiCanvas extends L.Canvas {
  setPixelRatio(ratio: number): void;
}

export function hidpiCanvas(initialRatio: number, options?: L.RendererOptions): HiDpiCanvas {
  let ratio = initialRatio;
  const Renderer = L.Canvas.extend({
    _update(this: CanvasInternals) {
      if (this._map._animatingZoom && this._bounds) return;
      (L.Renderer.prototype as unknown as { _update(): void })._update.call(this);
      const b = this._bounds;
      if (!b?.min || !b.max) return;
      const size = b.getSize();
      const canvas = this._container;
      L.DomUtil.setPosition(canvas, b.min);
      canvas.width = Math.round(ratio * size.x);
      canvas.height = Math.round(ratio * size.y);
      canvas.style.width = `${size.x}px`;
      canvas.style.height = `${size.y}px`;
      this._ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      // Same path coordinates after the canvas element moves, as in Leaflet's own renderer.
      this._ctx.translate(-b.min.x, -b.min.y);
      this.fire('update');
    },
  }) as unknown as new (options?: L.RendererOptions) => L.Canvas;
  const renderer = new Renderer(options) as HiDpiCanvas;
  renderer.setPixelRatio = (next: number) => {
    if (next === ratio) return;
    ratio = next;
    const internals = renderer as unknown as Partial<CanvasInternals> & { _update(): void };
    // Redraw at once when on a map; before that, the first `_update` picks the ratio up.
    if (internals._map) internals._update();
  };
  return renderer;
}
