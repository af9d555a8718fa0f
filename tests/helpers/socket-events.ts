/**
 * A socket whose every event is kept, in order, with its payload — for tests that wait until a
 * push arrives (`seen`) and then read what else came (the console's and the phone's sockets).
 */
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import { socketFor, type Credential } from './auth.js';
import { outcome } from './socket-watch.js';

export interface EventLog {
  socket: Socket;
  events: [string, unknown][];
}

/** Connects (the test closes `socket`) and expects it to be admitted. */
export async function connectLogged(url: string, namespace: string, credential: Credential): Promise<EventLog> {
  const socket = socketFor(url, namespace, credential);
  const events: [string, unknown][] = [];
  socket.onAny((name: string, payload: unknown) => events.push([name, payload]));
  expect(await outcome(socket)).toBe('connected');
  return { socket, events };
}

/** Waits until `events` holds a `name` whose payload `match` accepts (it names the payload's type). */
export const seen = (events: [string, unknown][], name: string, match: (payload: never) => boolean, timeout = 5_000) =>
  expect.poll(() => events.some(([n, p]) => n === name && match(p as never)), { timeout }).toBe(true);
