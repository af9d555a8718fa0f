/** One process of the wall fleet (see wall-fleet.ts): FLEET_WALLS walls on FLEET_URL's `/live`. */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type LiveClientToServer, type LiveServerToClient } from '../shared/live.js';
import { now, probeSentAt } from './live-load.js';

const url = process.env['FLEET_URL'] ?? '';
const token = process.env['FLEET_TOKEN'] ?? '';
const walls = Number(process.env['FLEET_WALLS'] ?? 0);
let samples: [number, number][] = [];
const sockets: Socket<LiveServerToClient, LiveClientToServer>[] = [];

for (let i = 0; i < walls; i += 1) {
  const socket: Socket<LiveServerToClient, LiveClientToServer> = io(`${url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    auth: { token },
  });
  socket.on('live:tick', (tick) => {
    const at = now();
    for (const item of tick.feed) {
      const sent = probeSentAt(item.id);
      if (sent !== null) samples.push([at, at - sent]);
    }
  });
  await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
  sockets.push(socket);
}
process.send?.({ ready: true });
const timer = setInterval(() => {
  if (samples.length === 0) return;
  process.send?.({ samples });
  samples = [];
}, 1_000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  for (const s of sockets) s.close();
  // Exit once the last samples are handed over, not before.
  process.send?.({ samples }, () => process.exit(0));
});
