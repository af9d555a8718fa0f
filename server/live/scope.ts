/**
 * Scopes follow the network: the district (the center), a town (所), a station (站) or a point (点).
 * A screen watches one scope; an event counts in every scope on its node's path to the center.
 */
import { DISTRICT } from '../../shared/auth.js';
import type { Network } from '../../shared/network.js';

export interface Scopes {
  /** The district scope: the center's id. */
  readonly root: string;
  /** Scopes an event at this node counts in, district first. */
  of(nodeId: string): readonly string[];
  /** Node ids inside a scope (itself and its descendants); null for the whole district. */
  nodesIn(scope: string): readonly string[] | null;
  /** A node a screen may watch: any node of the network. */
  isScope(id: string): boolean;
}

export function buildScopes(network: Network): Scopes {
  const parent = new Map(network.nodes.map((n) => [n.id, n.parentId]));
  const root = network.nodes.find((n) => n.level === 'center')?.id ?? '';
  const watchable = (id: string) => parent.has(id);
  const path = new Map<string, string[]>();
  const members = new Map<string, string[]>();
  for (const node of network.nodes) {
    const chain: string[] = [];
    for (let id: string | null | undefined = node.id; id; id = parent.get(id)) {
      if (watchable(id)) chain.unshift(id);
      members.set(id, [...(members.get(id) ?? []), node.id]);
    }
    path.set(node.id, chain);
  }
  return {
    root,
    of: (nodeId) => path.get(nodeId) ?? [root],
    nodesIn: (scope) => (scope === root ? null : (members.get(scope) ?? [])),
    isScope: watchable,
  };
}

/** The scope a screen or an export names by default: its own town, or the district. */
export function ownScope(scopes: Scopes, principalScope: string): string {
  return principalScope !== DISTRICT ? principalScope : scopes.root;
}

/**
 * Why a caller whose token or account is scoped to `own` (DISTRICT or a town's 所 id) may not read
 * `target`: no such node, or a node outside its town; null when it may.
 */
export function scopeRefusal(scopes: Scopes, own: string, target: string): 'unknown' | 'outside' | null {
  if (!scopes.isScope(target)) return 'unknown';
  if (own !== DISTRICT && !scopes.of(target).includes(own)) return 'outside';
  return null;
}
