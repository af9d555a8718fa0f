/**
 * A node as its public page shows it, found by the segment its 文明实践码 links to
 * (shared/node-link.ts): a poster of another county is told apart from an unknown node, both 404.
 * Figures are this month's counts over the node and the nodes under it; "what it offers" is the
 * skills of the volunteers registered at its 站 (a 点's is its 站's).
 */
import type { OrderCategory } from '../../shared/candidates.js';
import { ORDER_CATEGORIES } from '../../shared/candidates.js';
import type { NetworkNode, Network } from '../../shared/network.js';
import { codeSegment, parseCodeSegment, parseNodeCode } from '../../shared/node-link.js';
import type { PublicActivity, PublicNode } from '../../shared/public.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { localDay } from '../../shared/time-zone.js';
import { monthFigures, offeredSkills } from '../store/public-repository.js';
import type { Transport } from '../store/transport.js';

/** Upcoming activities a node's page lists; the rest are a phone's 活动 tab away. */
const UPCOMING_SHOWN = 5;

/** A published activity as the page needs it (places left = capacity − signed up). */
export interface UpcomingSource {
  id: string;
  title: string;
  nodeId: string;
  startsAt: number;
  endsAt: number;
  capacity: number;
  signedUp: number;
}

const isCategory = (s: string): s is OrderCategory => (ORDER_CATEGORIES as readonly string[]).includes(s);

export class PublicNodes {
  private readonly bySegment = new Map<string, NetworkNode>();
  private readonly segments = new Map<string, string>();
  private readonly adcodes = new Set<string>();
  private readonly byId: ReadonlyMap<string, NetworkNode>;

  constructor(
    private readonly network: Network,
    private readonly store: Transport,
    private readonly publicUrl: string,
  ) {
    this.byId = new Map(network.nodes.map((n) => [n.id, n]));
    for (const n of network.nodes) {
      const segment = codeSegment(n.code);
      const code = parseNodeCode(n.code);
      if (segment === null || code === null) continue;
      this.bySegment.set(segment, n);
      this.segments.set(n.id, segment);
      this.adcodes.add(code.adcode);
    }
  }

  resolve(segment: string): Result<NetworkNode> {
    const node = this.bySegment.get(segment);
    if (node) return ok(node);
    const parsed = parseCodeSegment(segment);
    if (parsed !== null && !this.adcodes.has(parsed.adcode)) return fail('PUBLIC_NODE_OTHER_COUNTY', parsed.adcode);
    return fail('PUBLIC_NODE_NOT_FOUND', segment.slice(0, 80));
  }

  place(nodeId: string): { name: string; segment: string } {
    return { name: this.byId.get(nodeId)?.name ?? '', segment: this.segments.get(nodeId) ?? '' };
  }

  /**
   * `published`: the activities open for sign-up anywhere (the activities service's board); the page
   * lists those held at the node or under it that have not ended, soonest first.
   */
  async page(node: NetworkNode, now: number, published: readonly UpcomingSource[] = []): Promise<PublicNode> {
    const here = new Set(this.under(node));
    const activities: PublicActivity[] = published
      .filter((a) => here.has(a.nodeId) && a.endsAt > now)
      .sort((a, b) => a.startsAt - b.startsAt)
      .slice(0, UPCOMING_SHOWN)
      .map((a) => ({
        id: a.id,
        title: a.title,
        startsAt: a.startsAt,
        endsAt: a.endsAt,
        placesLeft: Math.max(0, a.capacity - a.signedUp),
      }));
    const [figures, skills] = await Promise.all([
      monthFigures(this.store, this.under(node), now),
      offeredSkills(this.store, this.stationsOf(node)),
    ]);
    // The county's civil date, written as if it were UTC's.
    const day = new Date(localDay(now) * 86_400_000);
    return {
      segment: this.segments.get(node.id) ?? '',
      name: node.name,
      level: node.level,
      town: node.instituteId ? (this.byId.get(node.instituteId)?.name ?? '') : '',
      address: node.address ?? '',
      lat: node.lat,
      lon: node.lon,
      area: this.areaOf(node.instituteId),
      orderable: node.level === 'station' || node.level === 'point',
      offers: skills.filter(isCategory),
      activities,
      figures: {
        month: day.toISOString().slice(0, 7),
        activities: Math.round(figures.activities),
        checkins: Math.round(figures.checkins),
        serviceHours: Math.round(figures.serviceHours * 10) / 10,
        ordersCompleted: Math.round(figures.ordersCompleted),
        appealsClosed: Math.round(figures.appealsClosed),
      },
      publicUrl: this.publicUrl || null,
    };
  }

  private areaOf(instituteId: string | null): unknown {
    const features = this.network.towns.features as { properties?: { instituteId?: string } }[];
    return (instituteId && features.find((f) => f.properties?.instituteId === instituteId)) || null;
  }

  /** The node and every node under it (a 所's town, a 站's 点; the center: all). */
  private under(node: NetworkNode): string[] {
    const all = this.network.nodes;
    switch (node.level) {
      case 'center':
        return all.map((n) => n.id);
      case 'institute':
        return all.filter((n) => n.instituteId === node.id).map((n) => n.id);
      case 'station':
        return all.filter((n) => n.id === node.id || n.parentId === node.id).map((n) => n.id);
      case 'point':
        return [node.id];
    }
  }

  private stationsOf(node: NetworkNode): string[] {
    const stations = this.network.nodes.filter((n) => n.level === 'station');
    switch (node.level) {
      case 'center':
        return stations.map((n) => n.id);
      case 'institute':
        return stations.filter((n) => n.instituteId === node.id).map((n) => n.id);
      case 'station':
        return [node.id];
      case 'point':
        return node.parentId ? [node.parentId] : [];
    }
  }
}
