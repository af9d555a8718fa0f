/**
 * PIPL on the wire: what a wall (and a leader) socket receives never holds a citizen's name, phone
 * or ID number in full — neither in live frames (straight from ingest) nor in the snapshot a
 * restarted server builds from ClickHouse rows. The payloads themselves are inspected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type FeedItem, type LiveSnapshot, type LiveTick } from '../../shared/live.js';
import { socketFor, type Credential } from '../helpers/auth.js';
import { appealReceived } from '../helpers/events.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

const NAME = '王建国';
const PHONE = '13912345678';
const ID_NUMBER = '510122198802023456';
const RAW = [NAME, PHONE, ID_NUMBER, '1391234', '12345678'];

let server: RunningServer;
beforeAll(async () => {
  server = await startServer({ users: [{ username: 'leader', password: 'leader password 1', role: 'leader' }] });
});
afterAll(async () => {
  await server.stop();
});

/** Every payload a socket receives, as sent; resolves the first feed item with `id`. */
function watch(credential: Credential) {
  const socket = socketFor(server.url, LIVE_NAMESPACE, credential);
  const payloads: unknown[] = [];
  const items: FeedItem[] = [];
  socket.onAny((event: string, payload: unknown) => {
    payloads.push(payload);
    // Only frames carry the feed; query results and mode changes are checked as sent, in `payloads`.
    if (event === 'live:snapshot' || event === 'live:tick') items.push(...(payload as LiveSnapshot | LiveTick).feed);
  });
  const snapshot = new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
  return { socket, payloads, snapshot, item: (id: string) => eventually(() => items.find((f) => f.id === id)) };
}

describe('personal data on wall and leader screens', () => {
  it('arrives masked in live frames and in snapshots, never in full', async () => {
    const wall = watch({ token: await server.wallToken() });
    const leader = watch({ cookie: await server.login('leader', 'leader password 1') });
    try {
      await Promise.all([wall.snapshot, leader.snapshot]);
      const appeal = appealReceived({
        citizenName: NAME,
        citizenPhone: PHONE,
        title: `路灯不亮，请回电${PHONE}，身份证${ID_NUMBER}`,
      });
      const sent = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify([appeal]),
      });
      expect(sent.status).toBe(200);

      for (const screen of [wall, leader]) {
        const item = await screen.item(appeal.id);
        expect(item.who).toBe('王*国');
        expect(item.what).toBe('路灯不亮，请回电139****5678，身份证5101**********3456');
      }
      for (const screen of [wall, leader]) {
        const wire = JSON.stringify(screen.payloads);
        for (const raw of RAW) expect(wire).not.toContain(raw);
      }
    } finally {
      wall.socket.close();
      leader.socket.close();
    }
  });

  it('arrives masked in the snapshot of a restarted server, read back from ClickHouse', async () => {
    const appeal = appealReceived({ citizenName: NAME, citizenPhone: PHONE, title: `请回电${PHONE}` });
    await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify([appeal]),
    });
    // SIGTERM flushes the write-ahead log into ClickHouse; the new process reads its feed from there.
    expect(await server.stop()).toBe(0);
    server = await startServer({ dataDir: server.dataDir });
    const wall = watch({ token: await server.wallToken() });
    try {
      await wall.snapshot;
      expect(await wall.item(appeal.id)).toMatchObject({ who: '王*国', what: '请回电139****5678' });
      const wire = JSON.stringify(wall.payloads);
      for (const raw of RAW) expect(wire).not.toContain(raw);
    } finally {
      wall.socket.close();
    }
  });
});
