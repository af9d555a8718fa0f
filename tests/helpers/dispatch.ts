/** The dispatch console as the tests drive it: commands over the `/dispatch` socket and over REST. */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { CommandAck, DispatchError, OrderCommandBody, OrderDetail, OrderView } from '../../shared/dispatch.js';
import type { NetworkNode } from '../../shared/network.js';
import { headersFor, type Credential } from './auth.js';
import type { Http } from './server.js';

/** Sends a command on a `/dispatch` socket and resolves its ack. */
export function emitCommand(socket: Socket, body: unknown): Promise<CommandAck> {
  return new Promise((resolve) => socket.emit('dispatch:command', body, resolve));
}

export interface RestAnswer {
  status: number;
  ack: CommandAck;
}

/** Posts a command over REST; the answer as an ack, beside the HTTP status. */
export async function postCommand(
  server: Http,
  credential: Credential,
  orderId: string,
  body: unknown,
): Promise<RestAnswer> {
  const response = await server.fetch(`${server.url}/api/v1/orders/${orderId}/commands`, {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  const ack: CommandAck = response.ok
    ? { ok: true, data: json as Extract<CommandAck, { ok: true }>['data'] }
    : { ok: false, error: json as DispatchError };
  return { status: response.status, ack };
}

/** Posts a 点单 over REST with the body as given (its own command id); the answer as an ack. */
export async function postRequest(server: Http, credential: Credential, body: unknown): Promise<RestAnswer> {
  const response = await server.fetch(`${server.url}/api/v1/orders`, {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  const ack: CommandAck = response.ok
    ? { ok: true, data: json as Extract<CommandAck, { ok: true }>['data'] }
    : { ok: false, error: json as DispatchError };
  return { status: response.status, ack };
}

/** Requests an order (群众点单) at a venue over REST and answers it. */
export async function requestOrder(
  server: Http,
  credential: Credential,
  venueId: string,
  title = '代购药品',
): Promise<OrderView> {
  const response = await server.fetch(`${server.url}/api/v1/orders`, {
    method: 'POST',
    headers: { ...headersFor(credential), 'content-type': 'application/json' },
    body: JSON.stringify({ commandId: randomUUID(), venueId, title }),
  });
  if (response.status !== 200) throw new Error(`order request answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { order: OrderView }).order;
}

export async function orderDetail(server: Http, credential: Credential, orderId: string): Promise<OrderDetail> {
  const response = await server.fetch(`${server.url}/api/v1/orders/${orderId}`, { headers: headersFor(credential) });
  if (response.status !== 200) throw new Error(`order detail answered ${response.status}`);
  return (await response.json()) as OrderDetail;
}

export async function networkNodes(server: Http, credential: Credential): Promise<NetworkNode[]> {
  const response = await server.fetch(`${server.url}/api/network`, { headers: headersFor(credential) });
  return ((await response.json()) as { nodes: NetworkNode[] }).nodes;
}

/** A command body with a fresh command id. */
export const command = (orderId: string, expectedVersion: number, rest: Record<string, unknown>): OrderCommandBody =>
  ({ commandId: randomUUID(), orderId, expectedVersion, ...rest }) as OrderCommandBody;

/** Moves a fresh order to 所 level: accepted by the center, dispatched to its town. */
export async function toInstitute(server: Http, credential: Credential, order: OrderView): Promise<OrderView> {
  const accepted = await postCommand(
    server,
    credential,
    order.id,
    command(order.id, order.version, { type: 'accept' }),
  );
  if (!accepted.ack.ok) throw new Error(accepted.ack.error.code);
  const v = accepted.ack.data.order.version;
  const dispatched = await postCommand(
    server,
    credential,
    order.id,
    command(order.id, v, { type: 'dispatch_institute', instituteId: order.instituteId }),
  );
  if (!dispatched.ack.ok) throw new Error(dispatched.ack.error.code);
  return dispatched.ack.data.order;
}

export interface RaceOutcome {
  /** Every command id sent, per order. */
  sent: Map<string, string[]>;
  /** Per order, each round's winner: the version it made and the station it named. */
  winners: Map<string, { version: number; stationId: string }[]>;
}

/** One of two racing dispatchers: where it sends a command, and the station it moves orders to. */
export interface Racer {
  stationId: string;
  /** The answer, and the HTTP status when it went over REST. */
  send(body: OrderCommandBody): Promise<{ ack: CommandAck; status?: number }>;
}

export const overSocket = (socket: Socket, stationId: string): Racer => ({
  stationId,
  send: async (body) => ({ ack: await emitCommand(socket, body) }),
});

export const overRest = (server: Http, credential: Credential, stationId: string): Racer => ({
  stationId,
  send: (body) => postCommand(server, credential, body.orderId, body),
});

/**
 * Two dispatchers race `rounds` reassignments of each order, both naming the version they last saw,
 * each to its own station. Each round expects exactly one winner and the loser refused with the
 * stale version and the order at the winner's version (409 over REST).
 *
 * Most rounds send both at once, and which one wins is up to the machine: on a loaded one the same
 * racer (say, a socket on the node that holds the order) can win every round. So every
 * `STAGED_EVERY`th round one racer goes first, taking turns — its command answered before the
 * other's leaves — and each side is certain to win some: a refusal is then always a version the
 * other node wrote, in both directions.
 */
const STAGED_EVERY = 10;

/** Both racers' answers in their order, the `turn`-th staged round letting the other one lead. */
async function inTurn(racers: Racer[], bodies: OrderCommandBody[], turn: number) {
  const lead = turn % 2;
  const answers: { ack: CommandAck; status?: number }[] = [];
  for (const i of [lead, 1 - lead]) answers[i] = await (racers[i] as Racer).send(bodies[i] as OrderCommandBody);
  return answers;
}

export async function raceReassignments(
  orders: readonly OrderView[],
  rounds: number,
  first: Racer,
  second: Racer,
): Promise<RaceOutcome> {
  const sent = new Map<string, string[]>(orders.map((o) => [o.id, []]));
  const winners = new Map<string, { version: number; stationId: string }[]>(orders.map((o) => [o.id, []]));
  await Promise.all(
    orders.map(async (start) => {
      let version = start.version;
      for (let round = 0; round < rounds; round++) {
        const bodies = [first, second].map((r) =>
          command(start.id, version, { type: 'reassign', target: { kind: 'station', id: r.stationId } }),
        );
        sent.get(start.id)?.push(...bodies.map((b) => b.commandId));
        const racers = [first, second];
        const staged = round % STAGED_EVERY === STAGED_EVERY - 1;
        const answers = staged
          ? await inTurn(racers, bodies, (round + 1) / STAGED_EVERY)
          : await Promise.all(racers.map((r, i) => r.send(bodies[i] as OrderCommandBody)));
        const acks = answers.map((answer, i) => ({ ...answer, station: racers[i]?.stationId ?? '' }));
        const won = acks.filter((x) => x.ack.ok);
        expect(won, JSON.stringify(acks)).toHaveLength(1);
        const lost = acks.find((x) => !x.ack.ok);
        expect(lost?.ack).toMatchObject({
          ok: false,
          error: { code: 'ORDER_STALE_VERSION', order: { version: version + 1 } },
        });
        for (const x of acks) if (x.status !== undefined) expect(x.status).toBe(x.ack.ok ? 200 : 409);
        winners.get(start.id)?.push({ version: version + 1, stationId: won[0]?.station ?? '' });
        version += 1;
      }
    }),
  );
  return { sent, winners };
}
