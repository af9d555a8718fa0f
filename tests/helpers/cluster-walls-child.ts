/**
 * The process of tests/helpers/cluster-walls.ts: WALLS_COUNT live walls (tests/helpers/live-wall.ts)
 * on WALLS_URL's `/live`. It answers each `{ id, at }` with every wall's view at `at`, its
 * connection and its counters, and closes them all on SIGTERM.
 */
import { LiveWall } from './live-wall.js';
import type { WallState } from './cluster-walls.js';

const url = process.env['WALLS_URL'] ?? '';
const token = process.env['WALLS_TOKEN'] ?? '';
const count = Number(process.env['WALLS_COUNT'] ?? 0);
const walls = Array.from({ length: count }, () => new LiveWall(url, token));

const state = (at: number): WallState[] =>
  walls.map((w) => ({ view: w.view(at), connected: w.connected && w.seq !== null, counts: { ...w.counts } }));

process.on('message', (message: { id: number; at: number }) => {
  process.send?.({ id: message.id, walls: state(message.at) });
});
process.on('SIGTERM', () => {
  for (const w of walls) w.close();
  process.exit(0);
});
process.send?.({ started: true });
