import { EventEmitter } from 'node:events';
import type { Namespace, Socket } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { emptyKpi } from '../../../shared/kpi.js';
import type { LiveTick } from '../../../shared/live.js';
import { createFanout } from '../../../server/live/fanout.js';

/**
 * A namespace that records who each broadcast reached, and sockets whose transport drains on demand.
 * Only its local broadcasts exist: with several nodes each node sends its own screens their frames.
 */
function fakes(ids: string[]) {
  const received = new Map<string, string[]>(ids.map((id) => [id, []]));
  const sockets = ids.map((id) => {
    const socket = Object.assign(new EventEmitter(), {
      id,
      conn: new EventEmitter(),
      join: () => undefined,
      emit(event: string) {
        received.get(id)?.push(event);
        return true;
      },
    });
    return socket;
  });
  const ns = {
    local: {
      to: () => ({
        except: (skip: string[]) => ({
          emit: (event: string) => {
            for (const id of ids) if (!skip.includes(id)) received.get(id)?.push(event);
          },
        }),
      }),
    },
  };
  return { ns: ns as unknown as Namespace, sockets: sockets as unknown as Socket[], received };
}

const tick = (seq: number): LiveTick => ({ seq, kpi: emptyKpi(0), trend: [], feed: [] });
const snapshot = () => ({ seq: 0, kpi: emptyKpi(0), trend: [], feed: [] });

describe('fanout', () => {
  it('skips a screen whose transport stopped draining, and resumes it with a snapshot', () => {
    const { ns, sockets, received } = fakes(['fast', 'slow']);
    const fanout = createFanout(ns, 3);
    for (const s of sockets) fanout.add(s, 'scope:C0', snapshot);
    const [fast, slow] = sockets;
    for (let seq = 1; seq <= 10; seq += 1) {
      fanout.send('scope:C0', tick(seq));
      fast?.conn.emit('drain'); // the fast screen reads everything
    }
    expect(received.get('fast')?.filter((e) => e === 'live:tick')).toHaveLength(10);
    expect(received.get('slow')?.filter((e) => e === 'live:tick')).toHaveLength(3);
    expect(fanout.lagging).toBe(1);

    slow?.conn.emit('drain');
    expect(received.get('slow')?.at(-1)).toBe('live:snapshot');
    expect(fanout.lagging).toBe(0);
    fanout.send('scope:C0', tick(11));
    expect(received.get('slow')?.at(-1)).toBe('live:tick');
  });

  it('forgets a screen that disconnects', () => {
    const { ns, sockets } = fakes(['a']);
    const fanout = createFanout(ns, 1);
    const [a] = sockets;
    if (a) fanout.add(a, 'scope:C0', snapshot);
    fanout.send('scope:C0', tick(1));
    fanout.send('scope:C0', tick(2));
    expect(fanout.lagging).toBe(1);
    // The fake's own emit records outgoing events; its listeners are the EventEmitter's.
    EventEmitter.prototype.emit.call(a, 'disconnect');
    expect(fanout.lagging).toBe(0);
  });
});
