/** 简体中文 for 回放 on the wall (client/components/ReplayBadge.vue). */
const replay = {
  badge: '回放',
  speed: '{speed}×',
  backToLive: '回到实时',
  paused: '已暂停',
  ended: '回放结束',
  /** Said by a screen reader and in the badge's title: what the wall shows. */
  label: '正在回放 {from} 至 {to}，当前 {at}',
  /** A panel's freshness while replaying: the minute its data stands at (never 实时). */
  fresh: '回放 {time}',
  freshWaiting: '回放 · 等待数据',
  /** The map legend's and the feed's words that say 实时 on the live wall. */
  mapStatus: '回放状态',
  feedEmpty: '等待回放动态…',
  /**
   * A dashboard's title or hint that says 实时, by its key (client/dashboard/label.ts reads
   * `replay.labels.<key>` while replaying).
   */
  labels: {
    panels: { volunteersHint: '当日回放', feed: '回放动态' },
    dashboard: { panels: { townFeed: '本所回放动态' } },
  },
};

export default replay;
