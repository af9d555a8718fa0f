/**
 * 回放 on `/live` (`replay:read`): a screen asks for the county at a moment of its replay clock
 * (shared/replay.ts runs on the wall) and its panels' results then. Its first read takes it out of
 * the live rooms, so no live frame or panel push reaches a replaying wall; it goes back to live by
 * reconnecting, which is a new screen's fresh snapshot and subscriptions.
 *
 * Bounded: one read in flight per screen and at most one every REPLAY_MIN_INTERVAL_MS (a wall at
 * 120× reads each second, so its frames stay fine however fast it plays), at most REPLAY_MAX_PANELS
 * panels of the queries' own validated parameters, and never a moment after now.
 */
import type { Socket } from 'socket.io';
import { Compile } from 'typebox/compile';
import { ReplayReadSchema, type LiveClientToServer, type LiveServerToClient } from '../../shared/live.js';
import { fail, ok } from '../../shared/result.js';
import { Errors } from '../errors.js';
import type { LiveHub } from '../live/hub.js';
import type { Scopes } from '../live/scope.js';
import { paramsProblem } from '../queries/index.js';
import type { ReplayPanel, ReplayReader } from '../replay/reader.js';

type LiveSocket = Socket<LiveClientToServer, LiveServerToClient>;

export const REPLAY_MIN_INTERVAL_MS = 250;
const checkRead = Compile(ReplayReadSchema);

export interface ReplayDeps {
  reader: ReplayReader;
  hub: LiveHub;
  scopes: Scopes;
  /** Why this screen may not watch `scope`, or null (sockets/live.ts's rule for subscriptions). */
  refusal: (scope: string) => (Error & { code: string }) | null;
}

/** Whether a screen has left live for a replay (sockets/live.ts does not add it to the fan-out then). */
export const isReplaying = (socket: LiveSocket): boolean => (socket.data as { replaying?: boolean }).replaying === true;

export function serveReplay(socket: LiveSocket, scope: string, { reader, hub, scopes, refusal }: ReplayDeps): void {
  let busy = false;
  let last = -Infinity;
  const leaveLive = () => {
    if (isReplaying(socket)) return;
    (socket.data as { replaying?: boolean }).replaying = true;
    hub.queries.drop(socket.id);
    // Only the live frames' and panels' rooms: a meeting group's stays, so the tablet can stop the replay.
    for (const room of socket.rooms)
      if (room.startsWith('scope:') || room.startsWith('query:')) void socket.leave(room);
  };
  socket.on('replay:read', (read, ack) => {
    if (typeof ack !== 'function') return;
    if (!checkRead.Check(read)) {
      const error = new Errors.VALIDATION('expected { at, panels: [{ id, query, scope?, params }] }');
      return ack(fail(error.code, error.message));
    }
    const started = Date.now();
    if (busy || started - last < REPLAY_MIN_INTERVAL_MS) {
      const error = new Errors.SOCKET_RATE_LIMITED(1);
      return ack(fail(error.code, error.message));
    }
    busy = true;
    last = started;
    leaveLive();
    const panels: ReplayPanel[] = [];
    const refused: { id: string; error: string }[] = [];
    for (const p of read.panels) {
      const target = p.scope ?? scope;
      const why = refusal(target) ?? paramsProblem(p.query, p.params);
      if (why === null)
        panels.push({ id: p.id, query: p.query, scope: target, nodes: scopes.nodesIn(target), params: p.params });
      else refused.push({ id: p.id, error: typeof why === 'string' ? new Errors.VALIDATION(why).code : why.code });
    }
    reader
      .read(Math.min(read.at, started), scope, scopes.nodesIn(scope), panels)
      .then((frame) => ack(ok({ ...frame, panels: [...frame.panels, ...refused] })))
      .catch(() => {
        const error = new Errors.STORE_UNAVAILABLE();
        ack(fail(error.code, error.message));
      })
      .finally(() => (busy = false));
  });
}
