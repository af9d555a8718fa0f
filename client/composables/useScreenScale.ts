/**
 * Scales a design surface (1920×1080, or what a dashboard declares) to the window, after go-view's
 * usePreviewScale, always by one factor on both axes — text, circles and the map keep their shape:
 * `fit` (default) shows the whole surface and letterboxes; `full` fills the screen, the surface
 * taking the screen's aspect (a 1920×1080 design on a 5760×1080 wall is laid out 5760 wide and
 * its grid spreads over it). A spliced wall that wants a layout of its own declares it (a wider
 * design and grid) or shows several dashboards side by side (`?dashboards=`). The surface is laid
 * out at design size, so components use plain pixels; only a CSS transform changes with the window.
 */
import {
  computed,
  inject,
  onBeforeUnmount,
  onMounted,
  ref,
  shallowRef,
  type CSSProperties,
  type InjectionKey,
  type Ref,
} from 'vue';

export type ScaleMode = 'fit' | 'full';

export interface ScreenScale {
  /** One factor for both axes: a stretch would turn circles into ellipses and text wide. */
  scale: number;
  /** The surface's own size in design pixels (`full` widens or heightens it to the screen's aspect). */
  width: number;
  height: number;
  left: number;
  top: number;
}

/** Pure: where and how big the surface is drawn in a viewport. */
export function computeScale(
  viewW: number,
  viewH: number,
  designW: number,
  designH: number,
  mode: ScaleMode,
): ScreenScale {
  const s = Math.min(viewW / designW, viewH / designH);
  if (mode === 'full') {
    return { scale: s, width: Math.round(viewW / s), height: Math.round(viewH / s), left: 0, top: 0 };
  }
  // Whole-pixel offsets: a fractional translate makes the browser resample text and it blurs.
  return {
    scale: s,
    width: designW,
    height: designH,
    left: Math.round((viewW - designW * s) / 2),
    top: Math.round((viewH - designH * s) / 2),
  };
}

export function scaleModeFromUrl(search: string): ScaleMode {
  return new URLSearchParams(search).get('scale') === 'full' ? 'full' : 'fit';
}

export function useScreenScale(designW: number, designH: number, mode: ScaleMode = 'fit') {
  const scale = shallowRef<ScreenScale>(computeScale(window.innerWidth, window.innerHeight, designW, designH, mode));
  let frame = 0;

  // One update per animation frame however many resize events a window drag fires.
  const onResize = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      scale.value = computeScale(window.innerWidth, window.innerHeight, designW, designH, mode);
    });
  };
  onMounted(() => window.addEventListener('resize', onResize));
  onBeforeUnmount(() => {
    window.removeEventListener('resize', onResize);
    cancelAnimationFrame(frame);
  });

  const style = computed<CSSProperties>(() => ({
    width: `${scale.value.width}px`,
    height: `${scale.value.height}px`,
    left: `${scale.value.left}px`,
    top: `${scale.value.top}px`,
    transform: `scale(${scale.value.scale})`,
  }));

  /**
   * Backing-store ratio for canvases (ECharts, the Leaflet renderer): device pixels per design
   * pixel, so a 4K wall does not show 1080p canvases stretched ×2.
   */
  const pixelRatio = computed(() => {
    const ratio = (window.devicePixelRatio || 1) * scale.value.scale;
    return Math.min(4, Math.max(1, Math.ceil(ratio * 4) / 4));
  });

  return { scale, style, pixelRatio };
}

export const PIXEL_RATIO_KEY: InjectionKey<Readonly<Ref<number>>> = Symbol('pixelRatio');

/** The canvas pixel ratio provided by the screen surface (the device's own outside of one). */
export function usePixelRatio(): Readonly<Ref<number>> {
  return inject(PIXEL_RATIO_KEY, () => ref(window.devicePixelRatio || 1), true);
}
