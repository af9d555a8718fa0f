/**
 * One process of bench/socket-walls.ts: WALLS_COUNT screens on WALLS_URL's `/live`, each a bare
 * engine.io connection speaking socket.io's packets itself, as socket.io-client would put them on
 * the wire (the server cannot tell them apart). It never parses a frame: a tick's probes are found
 * by their id's marker (live-load.ts `probeId`) and their posting time read from the id, so that
 * thousands of screens cost the generator little and the machine's two cores go to the server.
 *
 * Answers `{ id, op: 'start' }` by opening a window (latencies and CPU counted from now) and
 * `{ id, op: 'stop' }` with the window's latency histogram, its CPU time and the screens connected.
 */
import { Socket } from 'engine.io-client';
import { LIVE_NAMESPACE } from '../shared/live.js';
import { now } from './live-load.js';
import { BUCKETS, type WallsWindow } from './socket-walls.js';

const url = process.env['WALLS_URL'] ?? '';
const token = process.env['WALLS_TOKEN'] ?? '';
const count = Number(process.env['WALLS_COUNT'] ?? 0);
/** Panel queries each screen subscribes to (JSON, shared/queries QuerySubscribe[]), as a wall's panels do. */
const panels = JSON.parse(process.env['WALLS_PANELS'] ?? '[]') as unknown[];
/** Screens connecting at once: a wall fleet switched on together, not a connection storm. */
const AT_ONCE = 25;
const PREFIX = `2${LIVE_NAMESPACE},`;
const TICK = `${PREFIX}["live:tick"`;
const SNAPSHOT = `${PREFIX}["live:snapshot"`;
const ACK = `3${LIVE_NAMESPACE},`;
/** The probe id's marker group and where its posting time starts after it (live-load.ts). */
const MARKER = '-b0b0-4000-8000-';

/** Latencies in tenths of a millisecond; the last bucket holds everything slower. */
let histogram = new Uint32Array(BUCKETS);
let cpuFrom = process.cpuUsage();
let ticks = 0;
const sockets: Socket[] = [];
let open = 0;

function onTick(data: string): void {
  ticks += 1;
  const at = now();
  for (let i = data.indexOf(MARKER); i !== -1; i = data.indexOf(MARKER, i + MARKER.length)) {
    const sent = Number.parseInt(data.slice(i + MARKER.length, i + MARKER.length + 12), 16);
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.round((at - sent) * 10)));
    histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  }
}

/** One screen: resolves once it holds its snapshot and every panel subscription is acknowledged. */
function connect(): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new Socket(url, { path: '/socket.io/', transports: ['websocket'] });
    sockets.push(socket);
    let joined = false;
    let snapshot = false;
    let acks = 0;
    const done = () => {
      if (snapshot && acks === panels.length) resolve();
    };
    socket.on('open', () => {
      socket.send(`0${LIVE_NAMESPACE},${JSON.stringify({ token })}`);
    });
    socket.on('message', (data) => {
      if (typeof data !== 'string') return;
      if (data.startsWith(TICK)) onTick(data);
      else if (data.startsWith(SNAPSHOT)) {
        snapshot = true;
        done();
      } else if (data.startsWith(ACK)) {
        acks += 1;
        done();
      } else if (data.startsWith(`0${LIVE_NAMESPACE},`)) {
        joined = true;
        open += 1;
        for (const [i, panel] of panels.entries())
          socket.send(`${PREFIX}${i}${JSON.stringify(['live:subscribe', panel])}`);
      } else if (data.startsWith(`4${LIVE_NAMESPACE},`)) reject(new Error(`refused: ${data}`));
    });
    socket.on('close', (reason) => {
      if (joined) open -= 1;
      reject(new Error(`closed before its snapshot: ${reason}`));
    });
  });
}

let failed = 0;
for (let i = 0; i < count; i += AT_ONCE) {
  const batch = Array.from({ length: Math.min(AT_ONCE, count - i) }, () => connect());
  for (const r of await Promise.allSettled(batch)) if (r.status === 'rejected') failed += 1;
}
process.send?.({ ready: true, failed });

process.on('message', (m: { id: number; op: 'start' | 'stop' }) => {
  if (m.op === 'start') {
    histogram = new Uint32Array(BUCKETS);
    cpuFrom = process.cpuUsage();
    ticks = 0;
    process.send?.({ id: m.id });
    return;
  }
  const cpu = process.cpuUsage(cpuFrom);
  const counts: [number, number][] = [];
  for (const [bucket, n] of histogram.entries()) if (n > 0) counts.push([bucket, n]);
  const window: WallsWindow = { counts, cpuMs: (cpu.user + cpu.system) / 1000, connected: open, ticks };
  process.send?.({ id: m.id, window });
});
process.on('SIGTERM', () => {
  for (const s of sockets) s.close();
  process.exit(0);
});
