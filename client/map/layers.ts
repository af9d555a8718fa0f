/** Builds the wall map's vector layers from the network; no tiles needed. */
import * as L from 'leaflet';
import type { Feature, Geometry } from 'geojson';
import type { Network, NetworkNode } from '../../shared/network';
import { labelPoint, polygonFeatures, shiftLat } from './geometry';
import { COLORS, LEVEL_STYLE, TOWN_FILLS } from './style';

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

/** Town (镇/街道) areas, each filled subtly, plus a name label at its centroid. */
export function townLayers(network: Network, renderer: L.Renderer): L.Layer[] {
  const features = polygonFeatures(network.towns.features);
  const areas = L.geoJSON(features, {
    ...nonInteractive,
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

/** Institutes, stations and points as canvas dots, smallest first so the big ones stay on top. */
export function nodeLayers(nodes: readonly NetworkNode[], renderer: L.Renderer): L.Layer[] {
  const order = { point: 0, station: 1, institute: 2, center: 3 } as const;
  const sorted = nodes.filter((n) => n.level !== 'center').sort((a, b) => order[a.level] - order[b.level]);
  return sorted.flatMap((n) => {
    const style = LEVEL_STYLE[n.level];
    const dot = L.circleMarker([n.lat, n.lon], {
      ...nonInteractive,
      renderer,
      radius: style.radius,
      stroke: n.level !== 'point',
      color: n.level === 'institute' ? '#e9feff' : style.color,
      weight: n.level === 'institute' ? 2 : 0.8,
      opacity: 0.9,
      fillColor: style.color,
      fillOpacity: n.level === 'point' ? 0.75 : 0.95,
    });
    if (style.halo === 0) return [dot];
    const halo = L.circleMarker([n.lat, n.lon], {
      ...nonInteractive,
      renderer,
      radius: style.halo,
      stroke: true,
      color: style.color,
      weight: 1,
      opacity: 0.6,
      fillColor: style.color,
      fillOpacity: 0.18,
    });
    return [halo, dot];
  });
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
