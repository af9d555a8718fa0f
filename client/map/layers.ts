/** Builds the wall map's vector layers from the network; no tiles needed. */
import * as L from 'leaflet';
import type { Feature, Geometry } from 'geojson';
import type { Network, NetworkNode } from '../../shared/network';
import { labelPoint, polygonFeatures, shiftLat } from './geometry';
import { COLORS, TOWN_FILLS } from './style';

type AnyFeature = Feature<Geometry, Record<string, unknown>>;

const nonInteractive = { interactive: false } as const;

/**
 * The county outline in two parts: `base` (a fake extrusion below, the land fill) goes under the
 * towns, `edge` (a layered glow and the bright border line) goes over them — the 大屏 look.
 */
export function outlineLayers(
  network: Network,
  renderer: L.Renderer,
): { bounds: L.LatLngBounds; base: L.Layer[]; edge: L.Layer[] } {
  const features = polygonFeatures(network.outline.features);
  const shadow = features.map((f): AnyFeature => ({ ...f, geometry: shiftLat(f.geometry, -0.018) }));
  const extrusion = L.geoJSON(shadow, {
    ...nonInteractive,
    style: { renderer, color: '#0b3d7a', weight: 1, fillColor: COLORS.extrusion, fillOpacity: 0.95 },
  });
  const land = L.geoJSON(features, {
    ...nonInteractive,
    style: { renderer, stroke: false, fillColor: '#0a3472', fillOpacity: 0.6 },
  });
  const stroke = (color: string, weight: number, opacity: number) =>
    L.geoJSON(features, { ...nonInteractive, style: { renderer, color, weight, opacity, fill: false } });
  return {
    bounds: land.getBounds(),
    base: [extrusion, land],
    edge: [stroke(COLORS.outlineGlow, 14, 0.1), stroke(COLORS.outlineGlow, 6, 0.22), stroke(COLORS.outline, 2, 1)],
  };
}

/** Town (镇/街道) areas, each filled subtly and clickable (drill into the town), plus a name label. */
export function townLayers(network: Network, renderer: L.Renderer, onClick?: (instituteId: string) => void): L.Layer[] {
  const features = polygonFeatures(network.towns.features);
  const areas = L.geoJSON(features, {
    interactive: onClick !== undefined,
    style: (feature) => {
      const index = feature ? features.indexOf(feature as AnyFeature) : 0;
      return {
        renderer,
        color: COLORS.townBorder,
        weight: 1,
        dashArray: '4 4',
        fillColor: TOWN_FILLS[index % TOWN_FILLS.length] ?? '#1f6fd1',
        fillOpacity: 0.22,
      };
    },
    onEachFeature: (feature, layer) => {
      const id = (feature.properties as Record<string, unknown> | null)?.['instituteId'];
      if (onClick && typeof id === 'string') layer.on('click', () => onClick(id));
    },
  });
  const labels = features.flatMap((f) => {
    const at = labelPoint(f.geometry);
    const name = f.properties['name'];
    if (!at || typeof name !== 'string') return [];
    const icon = L.divIcon({ className: 'town-label', html: `<span>${escapeHtml(name)}</span>`, iconSize: [0, 0] });
    return [L.marker(at, { icon, ...nonInteractive, keyboard: false })];
  });
  return [areas, ...labels];
}

/** 中心 → 所 → 站 links: the dispatch chain (层层派单) drawn as faint lines. */
export function linkLayers(nodes: readonly NetworkNode[], renderer: L.Renderer): L.Layer[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const lines: L.Layer[] = [];
  for (const n of nodes) {
    if (n.level !== 'institute' && n.level !== 'station') continue;
    const parent = n.parentId ? byId.get(n.parentId) : undefined;
    if (!parent) continue;
    const toCenter = n.level === 'institute';
    lines.push(
      L.polyline(
        [
          [parent.lat, parent.lon],
          [n.lat, n.lon],
        ],
        {
          ...nonInteractive,
          renderer,
          color: toCenter ? COLORS.linkCenter : COLORS.linkInstitute,
          weight: toCenter ? 1.4 : 0.8,
          opacity: toCenter ? 0.55 : 0.28,
          dashArray: toCenter ? '6 5' : '',
        },
      ),
    );
  }
  return lines;
}

/** The district center: a DOM marker so it can be a glowing, pulsing star. */
export function centerMarker(nodes: readonly NetworkNode[]): L.Marker | null {
  const center = nodes.find((n) => n.level === 'center');
  if (!center) return null;
  const icon = L.divIcon({
    className: 'center-marker',
    html: '<i class="pulse"></i><i class="pulse late"></i><b>★</b>',
    iconSize: [44, 44],
  });
  return L.marker([center.lat, center.lon], { icon, ...nonInteractive, keyboard: false, zIndexOffset: 1000 });
}

/** A short-lived ripple where a live event happened. */
export function rippleMarker(node: NetworkNode, color: string): L.Marker {
  const icon = L.divIcon({ className: 'ripple', html: `<i style="--c:${color}"></i>`, iconSize: [40, 40] });
  return L.marker([node.lat, node.lon], { icon, ...nonInteractive, keyboard: false });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
