/**
 * Live convergence-media events: articles published (half of them about a running activity, some
 * under a brand) and read counters for recent articles, sized so a day's reads match the county's
 * yearly figure (600 million in Shuangliu) whatever the simulator's rate.
 */
import type { PracticeEvent } from '../../shared/events.js';
import { pickBrand } from '../brands.js';
import { ACTIVITY_TOPICS, brandsOf, townOf } from '../names.js';
import type { Flow, FlowContext } from './context.js';

export interface RunningActivity {
  id: string;
  nodeId: string;
}

/** Articles still being read: the history's reports run four days (at most this many kept). */
const RECENT = 100;

/** FNV-1a: a stable small hash of an id (the same activity always maps to the same brand). */
function stringHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function mediaFlows(
  ctx: FlowContext,
  running: () => RunningActivity | undefined,
  readsPerEvent: number,
  /** Articles already being read (the store's newest, `recentArticles`): read on from the first tick. */
  published: readonly { id: string; nodeId: string }[] = [],
): { publish: Flow; read: Flow } {
  const { rng } = ctx;
  const brands = brandsOf(ctx.network);
  const center = ctx.network.nodes.find((n) => n.level === 'center');
  const recent: { id: string; nodeId: string }[] = published.slice(-RECENT);

  const publishOne = (now: number): PracticeEvent => {
    const activity = rng.chance(0.5) ? running() : undefined;
    const nodeId = activity?.nodeId ?? center?.id ?? 'C0';
    const institute = ctx.nodeById.get(ctx.nodeById.get(nodeId)?.instituteId ?? '');
    // An activity belongs to one brand (品牌活动): every article about it carries the same one.
    const hash = activity ? stringHash(activity.id) : 0;
    const brand = activity
      ? pickBrand(brands, institute?.id ?? '', (hash % 1000) / 1000, Math.floor(hash / 1000))
      : rng.chance(0.4)
        ? pickBrand(brands, institute?.id ?? '', rng.next(), rng.int(0, 1_000_000))
        : undefined;
    const place = institute ? townOf(institute.name) : ctx.network.county.name;
    const topic = rng.pick(ACTIVITY_TOPICS);
    const title = `${brand ? `【${brand.name}】` : ''}${place}${topic}${activity ? '活动温暖开展' : ''}`;
    const article = { id: ctx.nextId('ART'), nodeId };
    recent.push(article);
    if (recent.length > RECENT) recent.shift();
    const links = { activityId: activity?.id ?? null, brandId: brand?.id ?? null };
    return { ...ctx.envelope(nodeId, now), type: 'media.published', articleId: article.id, title, ...links };
  };

  return {
    publish: { step: (now, budget) => Array.from({ length: budget }, () => publishOne(now)) },
    read: {
      step(now, budget) {
        if (recent.length === 0) return []; // nothing published yet to read
        return Array.from({ length: budget }, () => {
          const article = rng.pick(recent);
          const reads = Math.min(10_000_000, Math.round(readsPerEvent * 2 * rng.next()));
          const shares = Math.round(reads * (0.005 + rng.next() * 0.02));
          return { ...ctx.envelope(article.nodeId, now), type: 'media.read', articleId: article.id, reads, shares };
        });
      },
    },
  };
}
