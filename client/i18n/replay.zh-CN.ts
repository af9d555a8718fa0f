/** 简体中文 for 回放 on the wall (client/components/ReplayBadge.vue). */
const replay = {
  badge: '回放',
  speed: '{speed}×',
  backToLive: '回到实时',
  paused: '已暂停',
  ended: '回放结束',
  /** Said by a screen reader and in the badge's title: what the wall shows. */
  label: '正在回放 {from} 至 {to}，当前 {at}',
};

export default replay;
