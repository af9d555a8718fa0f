/**
 * The connected screens of `/live`, for the admin console: read from the sockets themselves (who
 * they are, the scope they watch, what they last reported) and the fanout (when each was last sent
 * a frame). Nothing is kept beside the sockets, so the list cannot drift from what is connected.
 */
import type { Namespace } from 'socket.io';
import type { Principal } from '../../shared/auth.js';
import type { ScreenReport, Screen } from '../../shared/screens.js';
import type { Fanout } from './fanout.js';

/** What the live plugin keeps on each `/live` socket (`socket.data`). */
export interface ScreenData {
  principal?: Principal;
  /** The scope it watches, set once the handshake's scope was admitted. */
  scope?: string;
  /** Its last `live:screen` report. */
  screen?: ScreenReport;
}

export function listScreens(ns: Namespace, fanout: Pick<Fanout, 'lastFrameAt'>, now = Date.now()): Screen[] {
  const screens: Screen[] = [];
  for (const socket of ns.sockets.values()) {
    const data = socket.data as ScreenData;
    const { principal, scope } = data;
    // Not yet through the handshake's checks: not a screen yet.
    if (!principal || scope === undefined) continue;
    const last = fanout.lastFrameAt(socket.id);
    screens.push({
      id: socket.id,
      kind: principal.kind,
      principal: principal.id,
      name: principal.name,
      role: principal.role,
      scope,
      dashboard: data.screen?.dashboard ?? null,
      version: data.screen?.version ?? null,
      address: socket.handshake.address,
      connectedAt: socket.handshake.issued,
      lastFrameAgeMs: last === undefined ? null : Math.max(0, now - last),
    });
  }
  return screens.sort((a, b) => a.connectedAt - b.connectedAt);
}
