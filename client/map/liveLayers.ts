/**
 * The map's live layers, kept apart from the component: demand heat and uncovered residents on
 * pixel-ratio-aware canvases, per-town status rings at district level, pulses where demand is
 * overdue. Each `set…` replaces what it shows; nothing accumulates on a wall left on for weeks.
 */
import * as L from 'leaflet';
import type { Network, NetworkNode } from '../../shared/network';
import type { HeatPoint, NodeStatus } from '../../shared/queries';
import { canvasOverlay, type CanvasOverlay } from './canvasOverlay';
import { drawHeat } from './heat';
import { overdueMarker } from './nodeMarkers';
import { townRings } from './scopeView';
import { townMix } from './status';

/** Pulses drawn at most: beyond this the map would be all pulse and no information. */
const MAX_PULSES = 60;
const UNCOVERED_COLOR = 'rgba(255, 92, 214, 0.5)';

export interface LiveLayers {
  setHeat(points: readonly HeatPoint[] | null, visible: boolean): void;
  setUncovered(cells: readonly HeatPoint[] | null, cellM: number, visible: boolean): void;
  setStatus(status: ReadonlyMap<string, NodeStatus>, inScope: (n: NetworkNode) => boolean, rings: boolean): void;
  setPixelRatio(ratio: number): void;
  remove(): void;
}

export function liveLayers(
  map: L.Map,
  network: Network,
  ratio: number,
  onTown: (instituteId: string) => void,
): LiveLayers {
  let heat: readonly HeatPoint[] = [];
  let uncovered: readonly HeatPoint[] = [];
  let cellM = 300;
  const heatLayer: CanvasOverlay = canvasOverlay(
    (ctx, m) => drawHeat(ctx, m, heat, Math.max(14, Math.min(42, 6 * 2 ** (m.getZoom() - 10)))),
    ratio,
    'heat-layer',
  );
  const coverLayer: CanvasOverlay = canvasOverlay(
    (ctx, m) => {
      // Each uncovered cell as a square its true size on the ground (at least 2 px, so it shows).
      const metresPerPx = (40_075_016 * Math.cos((m.getCenter().lat * Math.PI) / 180)) / (256 * 2 ** m.getZoom());
      const side = Math.max(2, cellM / metresPerPx);
      ctx.fillStyle = UNCOVERED_COLOR;
      for (const c of uncovered) {
        const at = m.latLngToContainerPoint([c.lat, c.lon]);
        ctx.fillRect(at.x - side / 2, at.y - side / 2, side, side);
      }
    },
    ratio,
    'coverage-layer',
  );
  const overlays = L.layerGroup().addTo(map);

  const show = (layer: CanvasOverlay, visible: boolean): void => {
    if (visible && !map.hasLayer(layer)) layer.addTo(map);
    else if (!visible && map.hasLayer(layer)) layer.remove();
    else if (visible) layer.redraw();
  };

  return {
    setHeat(points, visible) {
      const next = points ?? [];
      // Redrawing reads the whole canvas back: only when the points or the visibility changed.
      if (next === heat && visible === map.hasLayer(heatLayer)) return;
      heat = next;
      show(heatLayer, visible);
    },
    setUncovered(cells, size, visible) {
      const next = cells ?? [];
      if (next === uncovered && visible === map.hasLayer(coverLayer)) return;
      uncovered = next;
      cellM = size;
      show(coverLayer, visible);
    },
    setStatus(status, inScope, rings) {
      overlays.clearLayers();
      const late = network.nodes.filter((n) => inScope(n) && (status.get(n.id)?.overdue ?? 0) > 0);
      for (const n of late.slice(0, MAX_PULSES)) overlays.addLayer(overdueMarker(n));
      if (rings) for (const r of townRings(network, townMix(network.nodes, status), onTown)) overlays.addLayer(r);
    },
    setPixelRatio(next) {
      heatLayer.setPixelRatio(next);
      coverLayer.setPixelRatio(next);
    },
    remove() {
      heatLayer.remove();
      coverLayer.remove();
      overlays.remove();
    },
  };
}
