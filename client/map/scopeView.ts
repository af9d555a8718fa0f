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

/** One DOM marker per town at its label point: a ring of its nodes' status mix, under the name. */
export function townRings(
  network: Network,
  mixes: ReadonlyMap<string, StatusMix>,
  onClick: (instituteId: string) => void,
): L.Marker[] {
  return polygonFeatures(network.towns.features).flatMap((f) => {
    const id = f.properties['instituteId'];
    const at = labelPoint(f.geometry);
    const mix = typeof id === 'string' ? mixes.get(id) : undefined;
    if (!at || !mix || typeof id !== 'string') return [];
    const live = mix.overdue + mix.busy + mix.active;
    // The number is the town's nodes with something going on; a quiet town shows the ring only.
    const html = `${mixRing(mix, 46)}${live > 0 ? `<b>${live}</b>` : ''}`;
    const icon = L.divIcon({ className: 'town-ring', html, iconSize: [46, 46], iconAnchor: [23, -6] });
    const marker = L.marker(at, { icon, keyboard: false });
    marker.on('click', () => onClick(id));
    return [marker];
  });
}
