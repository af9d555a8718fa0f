/**
 * The map's live layers, kept apart from the component: demand heat and uncovered residents on
 * pixel-ratio-aware canvases, per-town status rings at district level, pulses where demand is
 * overdue. Each `set…` replaces what it shows; nothing accumulates on a wall left on for weeks.
 */
import * as L from 'leaflet';
import type { Network, NetworkNode } from '../../shared/network';
import type { HeatPoint } from '../../shared/queries/heat';
import type { NodeStatus } from '../../shared/queries/nodes-status';
import { canvasOverlay, type CanvasOverlay } from './canvasOverlay';
import { drawHeat } from './heat';
import { overdueMarker } from './nodeMarkers';
import { townRings } from './scopeView';
import { townMix } from './status';

/** Pulses drawn at most: beyond this the map would be all pulse and no information. */
const MAX_PULSES = 60;

export interface LiveLayers {
  setHeat(points: readonly HeatPoint[] | null, visible: boolean): void;
  setUncovered(cells: readonly HeatPoint[] | null, cellM: number, visible: boolean): void;
  setStatus(
    status: ReadonlyMap<string, NodeStatus>,
    inScope: (n: NetworkNode) => boolean,
    rings: boolean,
    busyAt: number,
  ): void;
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
    // About 1.2 km across on the ground, but never so small a spot is lost on a wall.
    (ctx, m) => drawHeat(ctx, m, heat, Math.max(26, Math.min(90, 12 * 2 ** (m.getZoom() - 10)))),
    ratio,
    'heat-layer',
    // Heat is a blur: drawn at 1× and scaled with the wall, it looks the same at a quarter of the
    // pixels a 4K wall would read back and recolour on every update.
    { maxRatio: 1, readBack: true },
  );
  const coverLayer: CanvasOverlay = canvasOverlay(
    (ctx, m) => {
      const metresPerPx = (40_075_016 * Math.cos((m.getCenter().lat * Math.PI) / 180)) / (256 * 2 ** m.getZoom());
      // Uncovered cells at their true ground size, with a gap so they read as blocks, not a wash;
      // denser cells (more residents outside every circle) stronger.
      const side = Math.max(2, cellM / metresPerPx);
      const inner = side > 6 ? side * 0.82 : side;
      for (const c of uncovered) {
        const at = m.latLngToContainerPoint([c.lat, c.lon]);
        ctx.fillStyle = `rgba(255, 92, 214, ${(0.14 + 0.36 * Math.min(1, c.weight / 4)).toFixed(2)})`;
        ctx.fillRect(at.x - inner / 2, at.y - inner / 2, inner, inner);
      }
      // Zoomed into a town or station: the 500 m circles themselves (the 实践圈) around each site.
      const radius = 500 / metresPerPx;
      if (radius < 10) return;
      ctx.strokeStyle = 'rgba(95, 246, 255, 0.45)';
      ctx.fillStyle = 'rgba(95, 246, 255, 0.06)';
      ctx.lineWidth = 1;
      const view = m.getBounds().pad(0.1);
      for (const n of network.nodes) {
        if (!view.contains([n.lat, n.lon])) continue;
        const at = m.latLngToContainerPoint([n.lat, n.lon]);
        ctx.beginPath();
        ctx.arc(at.x, at.y, radius, 0, Math.PI * 2);
        ctx.fill();
        ctx.stroke();
      }
    },
    ratio,
    'coverage-layer',
  );
  const overlays = L.layerGroup().addTo(map);
  const rings = townRings(network, overlays, onTown);
  /** The overdue pulses shown, by node: kept while the node stays overdue, so its pulse runs on. */
  const pulses = new Map<string, L.Marker>();

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
    setStatus(status, inScope, showRings, busyAt) {
      // In place: only the pulses and rings that changed are added, removed or redrawn.
      const late = network.nodes.filter((n) => inScope(n) && (status.get(n.id)?.overdue ?? 0) > 0);
      const wanted = new Map(late.slice(0, MAX_PULSES).map((n) => [n.id, n]));
      for (const [id, marker] of pulses) {
        if (wanted.has(id)) continue;
        overlays.removeLayer(marker);
        pulses.delete(id);
      }
      for (const [id, n] of wanted) {
        if (pulses.has(id)) continue;
        const marker = overdueMarker(n);
        overlays.addLayer(marker);
        pulses.set(id, marker);
      }
      if (showRings) rings.set(townMix(network.nodes, status, busyAt));
      else rings.clear();
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
