/**
 * The 所/站/点 dots, clickable, restyled in place when live status or the scope changes (setStyle
 * on the canvas renderer: no layers are rebuilt, so a wall left on for weeks does not churn).
 * Size and ring say the level; the fill says the live status; nodes outside the scope fade.
 */
import * as L from 'leaflet';
import type { NetworkNode } from '../../shared/network';
import type { NodeStatus } from '../../shared/queries/nodes-status';
import { STATUS_COLOR, statusKind } from './status';
import { LEVEL_STYLE } from './style';

export interface NodeMarkers {
  layers: L.Layer[];
  restyle(status: ReadonlyMap<string, NodeStatus>, inScope: (n: NetworkNode) => boolean, busyAt: number): void;
}

const ORDER = { point: 0, station: 1, institute: 2, center: 3 } as const;

export function nodeMarkers(
  nodes: readonly NetworkNode[],
  renderer: L.Renderer,
  onClick: (node: NetworkNode) => void,
): NodeMarkers {
  const sorted = nodes.filter((n) => n.level !== 'center').sort((a, b) => ORDER[a.level] - ORDER[b.level]);
  const dots = new Map<NetworkNode, L.CircleMarker>();
  const halos = new Map<NetworkNode, L.CircleMarker>();
  const layers: L.Layer[] = [];
  /** How each dot and halo was last styled. */
  const drawnAs = new Map<L.CircleMarker, string>();
  for (const n of sorted) {
    const style = LEVEL_STYLE[n.level];
    if (style.halo > 0) {
      const halo = L.circleMarker([n.lat, n.lon], {
        renderer,
        interactive: false,
        radius: style.halo,
        weight: 1,
        color: style.color,
        opacity: 0.6,
        fillColor: style.color,
        fillOpacity: 0.18,
      });
      halos.set(n, halo);
      layers.push(halo);
    }
    const dot = L.circleMarker([n.lat, n.lon], {
      renderer,
      // A point is small on a wall; a little slack around it makes it clickable.
      radius: style.radius,
      stroke: n.level !== 'point',
      color: n.level === 'institute' ? '#e9feff' : style.color,
      weight: n.level === 'institute' ? 2 : 1,
      fillColor: style.color,
      fillOpacity: 0.9,
    });
    dot.on('click', (e) => {
      L.DomEvent.stopPropagation(e);
      onClick(n);
    });
    dots.set(n, dot);
    layers.push(dot);
  }

  function restyle(
    status: ReadonlyMap<string, NodeStatus>,
    inScope: (n: NetworkNode) => boolean,
    busyAt: number,
  ): void {
    for (const [n, dot] of dots) {
      const kind = statusKind(status.get(n.id), busyAt);
      const near = inScope(n);
      // Idle nodes keep their level colour so the network still reads; live ones take the status colour.
      const fill = kind === 'idle' ? LEVEL_STYLE[n.level].color : STATUS_COLOR[kind];
      const radius =
        near && kind !== 'idle' && n.level === 'point' ? LEVEL_STYLE.point.radius + 0.8 : LEVEL_STYLE[n.level].radius;
      const style = {
        fillColor: fill,
        fillOpacity: near ? (kind === 'idle' ? 0.55 : 0.95) : 0.12,
        opacity: near ? 0.9 : 0.15,
      };
      // Each setStyle asks the canvas to redraw the dot's area: only the dots whose look changed.
      const key = `${style.fillColor} ${style.fillOpacity} ${style.opacity} ${radius}`;
      if (drawnAs.get(dot) === key) continue;
      drawnAs.set(dot, key);
      dot.setStyle(style);
      dot.setRadius(radius);
    }
    for (const [n, halo] of halos) {
      const near = inScope(n);
      if (drawnAs.get(halo) === String(near)) continue;
      drawnAs.set(halo, String(near));
      halo.setStyle({ opacity: near ? 0.6 : 0.1, fillOpacity: near ? 0.18 : 0.03 });
    }
  }
  return { layers, restyle };
}

/** A pulsing DOM ring where demand is overdue (the canvas cannot animate one dot cheaply). */
export function overdueMarker(node: NetworkNode): L.Marker {
  const icon = L.divIcon({ className: 'overdue-pulse', html: '<i></i><i class="late"></i>', iconSize: [34, 34] });
  return L.marker([node.lat, node.lon], { icon, interactive: false, keyboard: false });
}
