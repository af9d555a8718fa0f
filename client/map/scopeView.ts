/** Where the map looks for a scope, which nodes are inside it, and the per-town status rings. */
import * as L from 'leaflet';
import type { Network, NetworkNode } from '../../shared/network';
import { labelPoint, polygonFeatures } from './geometry';
import { inScopeTest, neighbourhoodBox } from './scopeSummary';
import { mixRing, type StatusMix } from './status';

/** The bounds to fit for a scope: the county, a town's area, a station or a point among its neighbours. */
export function scopeBounds(network: Network, scope: NetworkNode | undefined): L.LatLngBounds | null {
  if (!scope || scope.level === 'center') return L.geoJSON(polygonFeatures(network.outline.features)).getBounds();
  if (scope.level === 'institute') {
    const town = polygonFeatures(network.towns.features).find((f) => f.properties['instituteId'] === scope.id);
    if (town) return L.geoJSON(town).getBounds();
  }
  // A point or a station alone would zoom the map to a dot or two on an empty field: frame it among
  // its nearest neighbours, wide enough that the town's border shows too.
  return L.latLngBounds(neighbourhoodBox(network.nodes, scope));
}

/** Whether a node lies inside the watched scope (the district holds every node). */
export const scopeTest = inScopeTest;

/** The per-town status rings, each updated in place. */
export interface TownRings {
  /** Shows the rings of these mixes: a ring whose mix did not change is left alone. */
  set(mixes: ReadonlyMap<string, StatusMix>): void;
  /** Removes every ring. */
  clear(): void;
}

/**
 * One DOM marker per town at its label point: a ring of its nodes' status mix, under the name.
 * The markers stay on the map; a town's markup is replaced only when its mix changed (every status
 * answer rebuilt them all, and the browser laid out and painted every ring again each time).
 */
export function townRings(network: Network, layer: L.LayerGroup, onClick: (instituteId: string) => void): TownRings {
  const towns = polygonFeatures(network.towns.features).flatMap((f) => {
    const id = f.properties['instituteId'];
    const at = labelPoint(f.geometry);
    return typeof id === 'string' && at ? [{ id, at }] : [];
  });
  const shown = new Map<string, { marker: L.Marker; html: string }>();
  return {
    set(mixes) {
      for (const { id, at } of towns) {
        const mix = mixes.get(id);
        const ring = shown.get(id);
        if (!mix) {
          if (ring) layer.removeLayer(ring.marker);
          shown.delete(id);
          continue;
        }
        const live = mix.overdue + mix.busy + mix.active;
        // The number is the town's nodes with something going on; a quiet town shows the ring only.
        const html = `${mixRing(mix, 46)}${live > 0 ? `<b>${live}</b>` : ''}`;
        if (ring?.html === html) continue;
        const icon = L.divIcon({ className: 'town-ring', html, iconSize: [46, 46], iconAnchor: [23, -6] });
        if (ring) {
          ring.marker.setIcon(icon);
          ring.html = html;
          continue;
        }
        const marker = L.marker(at, { icon, keyboard: false });
        marker.on('click', () => onClick(id));
        layer.addLayer(marker);
        shown.set(id, { marker, html });
      }
    },
    clear() {
      for (const { marker } of shown.values()) layer.removeLayer(marker);
      shown.clear();
    },
  };
}
