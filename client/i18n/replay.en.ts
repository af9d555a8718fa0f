/** English for 回放, the shape of replay.zh-CN.ts. */
import type replayZh from './replay.zh-CN';

const replay: typeof replayZh = {
  badge: 'Replay',
  speed: '{speed}×',
  backToLive: 'Back to live',
  paused: 'Paused',
  ended: 'Replay ended',
  label: 'Replaying {from} to {to}, now at {at}',
  fresh: 'replay {time}',
  freshWaiting: 'replay · waiting',
  mapStatus: 'Status (replay)',
  feedEmpty: 'Waiting for replayed events…',
  labels: {
    panels: { volunteersHint: 'That day, replay', feed: 'Replayed feed' },
    dashboard: { panels: { townFeed: 'This town, replayed' } },
  },
};

export default replay;
