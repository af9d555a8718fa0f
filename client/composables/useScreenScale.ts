/**
 * Scales a fixed design surface (1920×1080) to the window, after go-view's usePreviewScale:
 * `fit` keeps the aspect ratio and letterboxes (default), `full` stretches to fill a video wall
 * whose aspect differs. The surface is laid out once at design size, so every component can use
 * plain pixels; only a CSS transform changes with the window.
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
  scaleX: number;
  scaleY: number;
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
  if (mode === 'full') return { scaleX: viewW / designW, scaleY: viewH / designH, left: 0, top: 0 };
  const s = Math.min(viewW / designW, viewH / designH);
  // Whole-pixel offsets: a fractional translate makes the browser resample text and it blurs.
  return {
    scaleX: s,
    scaleY: s,
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
    width: `${designW}px`,
    height: `${designH}px`,
    left: `${scale.value.left}px`,
    top: `${scale.value.top}px`,
    transform: `scale(${scale.value.scaleX}, ${scale.value.scaleY})`,
  }));

  /**
   * Backing-store ratio for canvases (ECharts, the Leaflet renderer): device pixels per design
   * pixel, so a 4K wall does not show 1080p canvases stretched ×2.
   */
  const pixelRatio = computed(() => {
    const ratio = (window.devicePixelRatio || 1) * Math.max(scale.value.scaleX, scale.value.scaleY);
    return Math.min(4, Math.max(1, Math.ceil(ratio * 4) / 4));
  });

  return { scale, style, pixelRatio };
}

export const PIXEL_RATIO_KEY: InjectionKey<Readonly<Ref<number>>> = Symbol('pixelRatio');

/** The canvas pixel ratio provided by the screen surface (the device's own outside of one). */
export function usePixelRatio(): Readonly<Ref<number>> {
  return inject(PIXEL_RATIO_KEY, () => ref(window.devicePixelRatio || 1), true);
}
