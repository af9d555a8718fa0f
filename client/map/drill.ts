/**
 * Drill-down rules, pure so they are tested without a browser: which scope a click or a URL asks
 * for, and the breadcrumb (区 › 镇/街道 › 站 › 点) back up to the district.
 */
import type { NetworkNode } from '../../shared/network';

type Nodes = ReadonlyMap<string, NetworkNode>;

/** The scope a node stands for: the node itself, at any level; null if unknown. */
export function scopeFor(nodes: Nodes, id: string | null | undefined): NetworkNode | null {
  return (id ? nodes.get(id) : undefined) ?? null;
}

/** The breadcrumb: the center, then each scope down to `id`'s scope. Empty when the network is unknown. */
export function scopeChain(nodes: Nodes, id: string | null | undefined): NetworkNode[] {
  const chain: NetworkNode[] = [];
  let node: NetworkNode | undefined = scopeFor(nodes, id) ?? undefined;
  for (; node; node = node.parentId ? nodes.get(node.parentId) : undefined) chain.unshift(node);
  if (chain.length === 0 || chain[0]?.level !== 'center') {
    const center = [...nodes.values()].find((n) => n.level === 'center');
    if (center && chain[0]?.id !== center.id) chain.unshift(center);
  }
  return chain;
}

/** One level up from `id`'s scope: a point's station (or 所), a station's town, a town's district (null = district). */
export function parentScope(nodes: Nodes, id: string | null | undefined): string | null {
  const chain = scopeChain(nodes, id);
  const parent = chain[chain.length - 2];
  return parent && parent.level !== 'center' ? parent.id : null;
}

/** What a URL or click asks to watch, as the store keeps it: null for the district (the screen's own). */
export function normalizeScope(nodes: Nodes, id: string | null | undefined): string | null {
  const node = scopeFor(nodes, id);
  return node && node.level !== 'center' ? node.id : null;
}

/**
 * The town to drill to when a town's wall (a scoped dashboard) is opened without one in its URL: the
 * first 所 on a district screen. Null — stay — when a scope is chosen, when the screen's token or
 * account is a town's (that town is already its top), and while that is still unknown (`home`
 * undefined): deciding before the server answers sent a town's screen to the first town for good.
 */
export function scopedWallTown(
  nodes: readonly NetworkNode[],
  selected: string | null,
  home: string | null | undefined,
): string | null {
  if (selected !== null || home !== null) return null;
  return nodes.find((n) => n.level === 'institute')?.id ?? null;
}
