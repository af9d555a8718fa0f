/**
 * A PNG of a panel or of the whole dashboard, made in the browser (modern-screenshot: the element
 * cloned into an SVG foreignObject and drawn to a canvas; ECharts' and Leaflet's canvases are
 * copied as images, so the charts and the map come out as drawn). Chosen over rendering the kiosk
 * URL in a headless Chromium on the server: that needs a browser on every server and a second
 * login for it, and shows a fresh page rather than what this screen shows now (its drill-down,
 * its switches, its popup). Loaded only when a PNG is asked for, so no wall carries it otherwise.
 *
 * At design resolution: the surface is scaled to the window by a CSS transform
 * (useScreenScale); the clone drops that transform and is drawn at the element's own layout size
 * (a 1920×1080 dashboard gives 1920×1080 pixels on any screen). Raster map tiles from another
 * origin (TILE_URL) come out blank unless their server allows CORS.
 */
/** Elements marked `data-export-skip` (the export menus themselves) are left out of the picture. */
const keep = (node: Node): boolean => !(node instanceof HTMLElement && node.dataset['exportSkip'] !== undefined);

/** The PNG as a Blob (not a data: URL: the wall's CSP lets no fetch read one back). */
export async function elementPng(el: HTMLElement): Promise<Blob> {
  const { domToBlob } = await import('modern-screenshot');
  const width = el.offsetWidth;
  const height = el.offsetHeight;
  return domToBlob(el, {
    type: 'image/png',
    width,
    height,
    scale: 1,
    filter: keep,
    // The design surface sits scaled and centred in the window: drawn at its own size from its corner.
    style: { transform: 'none', left: '0', top: '0', margin: '0' },
    backgroundColor: getComputedStyle(document.body).backgroundColor,
  });
}
