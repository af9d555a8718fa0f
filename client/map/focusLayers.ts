/**
 * What the map adds when it watches a station or a point: the border of its town drawn bright (the
 * town's area stays under it), a ring on the watched node, and the names of it and its nearest
 * neighbours — so a point reads among the sites around it even without a tile server.
 */
import * as L from 'leaflet';
import type { Network, NetworkNode } from '../../shared/network';
import { shortUnitName } from '../format';
import { polygonFeatures } from './geometry';
import { neighbourhoodBox } from './scopeSummary';
import { COLORS } from './style';

const MAX_NAMES = 10;

/** `project`: where the map draws a place once it frames the scope, so names that would touch are left out. */
export function focusLayers(
  network: Network,
  scope: NetworkNode | undefined,
  renderer: L.Renderer,
  project: (lat: number, lon: number) => { x: number; y: number },
): L.Layer[] {
  if (!scope || scope.level === 'center') return [];
  const town = polygonFeatures(network.towns.features).filter((f) => f.properties['instituteId'] === scope.instituteId);
  const border = L.geoJSON(town, {
    interactive: false,
    style: { renderer, color: COLORS.outline, weight: 2.5, opacity: 0.9, fill: false },
  });
  if (scope.level === 'institute') return [border];
  const box = L.latLngBounds(neighbourhoodBox(network.nodes, scope));
  const cos = Math.cos((scope.lat * Math.PI) / 180);
  const named = network.nodes
    .filter((n) => n.level !== 'center' && box.contains([n.lat, n.lon]))
    .sort(
      (a, b) =>
        Math.hypot(a.lat - scope.lat, (a.lon - scope.lon) * cos) -
        Math.hypot(b.lat - scope.lat, (b.lon - scope.lon) * cos),
    )
    .slice(0, MAX_NAMES);
  // Nearest first (the watched node itself is at distance 0): a name that would touch one already
  // placed is left out.
  const boxes: { x: number; y: number; w: number; h: number }[] = [];
  const clear = named.filter((n) => {
    const p = project(n.lat, n.lon);
    const w = Array.from(shortUnitName(n.name)).length * 15 + 6;
    const box = { x: p.x - w / 2, y: p.y + 8, w, h: 20 };
    if (boxes.some((b) => b.x < box.x + box.w && box.x < b.x + b.w && b.y < box.y + box.h && box.y < b.y + b.h))
      return false;
    boxes.push(box);
    return true;
  });
  const names = clear.map((n) => {
    const html = `<span class="${n.id === scope.id ? 'on' : ''}">${escapeHtml(shortUnitName(n.name))}</span>`;
    const icon = L.divIcon({ className: 'node-name', html, iconSize: [0, 0] });
    return L.marker([n.lat, n.lon], { icon, interactive: false, keyboard: false });
  });
  const ring = L.marker([scope.lat, scope.lon], {
    icon: L.divIcon({ className: 'focus-ring', html: '<i></i>', iconSize: [30, 30] }),
    interactive: false,
    keyboard: false,
  });
  return [border, ring, ...names];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
