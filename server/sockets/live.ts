/**
 * The `/live` namespace: a screen names its scope in the handshake, gets a snapshot on connect and
 * one frame per tick through the fan-out, and subscribes to panel queries of scopes it may watch.
 */
import type { Namespace } from 'socket.io';
import { Compile } from 'typebox/compile';
import { DISTRICT } from '../../shared/auth.js';
import type { RefusalCode } from '../../shared/codes.js';
import type { LiveClientToServer, LiveServerToClient } from '../../shared/live.js';
import { QuerySubscribeSchema } from '../../shared/queries/index.js';
import { ScreenReportSchema } from '../../shared/screens.js';
import { fail, ok } from '../../shared/result.js';
import type { SocketAuth } from '../auth/rooms.js';
import { Errors } from '../errors.js';
import type { Fanout } from '../live/fanout.js';
import type { LiveHub } from '../live/hub.js';
import { paramsProblem } from '../queries/index.js';
import { ownScope, scopeRefusal, type Scopes } from '../live/scope.js';
import type { ScreenData } from '../live/screens.js';
import type { ReplayReader } from '../replay/reader.js';
import { isReplaying, serveReplay } from './replay.js';

/** A refused handshake reaches the client as `connect_error`; its `data.code` is the stable code. */
const withCode = (error: Error & { code: string }) => Object.assign(error, { data: { code: error.code } });
/** A refusal as an error ack. */
const failWith = (error: Error & { code: string }) => fail(error.code, error.message);

const UNKNOWN_SCOPE: RefusalCode = 'LIVE_UNKNOWN_SCOPE';
const checkSubscribe = Compile(QuerySubscribeSchema);
const checkScreen = Compile(ScreenReportSchema);

/** Serves `/live` (the role guard is already installed; the scope check is installed here). */
export function serveLive(
  live: Namespace<LiveClientToServer, LiveServerToClient>,
  { hub, fanout, scopes, replay }: { hub: LiveHub; fanout: Fanout; scopes: Scopes; replay: ReplayReader },
): void {
  // A screen names its scope in the handshake (`auth.scope` or `?scope=I03`): a town, a station,
  // or by default its own: the district, or the town its token or account is scoped to.
  const scopeOf = (socket: {
    handshake: { auth: Record<string, unknown>; query: Record<string, unknown> };
    data: unknown;
  }) => {
    const asked = socket.handshake.auth['scope'] ?? socket.handshake.query['scope'];
    if (typeof asked === 'string' && asked !== '') return asked;
    return ownScope(scopes, (socket.data as Partial<SocketAuth> | undefined)?.principal?.scope ?? DISTRICT);
  };
  /** Why this screen may not watch `scope`, or null when it may. */
  const refusal = (socket: { data: unknown }, scope: string) => {
    const own = (socket.data as Partial<SocketAuth>).principal?.scope ?? DISTRICT;
    const why = scopeRefusal(scopes, own, scope);
    if (why === 'unknown') return new Errors.LIVE_UNKNOWN_SCOPE(scope);
    if (why === 'outside') return new Errors.FORBIDDEN(`watch ${scope} outside ${own}`);
    return null;
  };
  live.use((socket, next) => {
    const refused = refusal(socket, scopeOf(socket));
    next(refused ? withCode(refused) : undefined);
  });
  live.on('connection', async (socket) => {
    const scope = scopeOf(socket);
    (socket.data as ScreenData).scope = scope;
    const snapshot = () => hub.snapshot(scope);
    socket.on('disconnect', () => hub.unwatch(scope));
    socket.on('live:resync', (ack) => {
      if (typeof ack !== 'function') return;
      const current = snapshot();
      ack(current ? ok(current) : fail(UNKNOWN_SCOPE, `scope ${scope} is not watched`));
    });
    socket.on('live:subscribe', (request, ack) => {
      if (typeof ack !== 'function') return;
      if (!checkSubscribe.Check(request))
        return ack(failWith(new Errors.VALIDATION('expected { query, scope?, params }')));
      const target = request.scope ?? scope;
      const refused = refusal(socket, target);
      if (refused) return ack(failWith(refused));
      const problem = paramsProblem(request.query, request.params);
      if (problem) return ack(failWith(new Errors.VALIDATION(problem)));
      const params = request.params as never;
      hub.queries
        .subscribe(socket.id, request.query, target, scopes.nodesIn(target), params)
        .then(async (update) => {
          await socket.join(`query:${update.key}`);
          ack(ok(update));
        })
        .catch(() => ack(failWith(new Errors.STORE_UNAVAILABLE())));
    });
    // What the admin console lists beside the scope; a malformed report is ignored, not kept.
    socket.on('live:screen', (report) => {
      if (checkScreen.Check(report)) (socket.data as ScreenData).screen = report;
    });
    socket.on('live:unsubscribe', (key) => {
      if (typeof key !== 'string') return;
      hub.queries.unsubscribe(socket.id, key);
      void socket.leave(`query:${key}`);
    });
    socket.on('disconnect', () => hub.queries.drop(socket.id));
    serveReplay(socket, scope, { reader: replay, hub, scopes, refusal: (target) => refusal(socket, target) });
    await hub.watch(scope);
    const first = snapshot();
    // A screen that started a replay before its view was ready stays out of the live frames.
    if (!socket.connected || !first || isReplaying(socket)) return;
    fanout.add(socket, `scope:${scope}`, snapshot);
    socket.emit('live:snapshot', first);
  });
}
