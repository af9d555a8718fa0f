/**
 * The simulator's way into the server: the HTTP paths devices and citizens' phones take, through
 * Fastify's `inject` — the same routing, schemas, access checks, rate limits and audit as a request
 * on the wire, without a socket for each (the simulator lives in the server's process):
 *  - its events (check-ins, appeals, media reads …): `POST /api/v1/events` with a device token, as a
 *    签到 terminal or a platform's feed sends them;
 *  - 群众点单: `POST /api/v1/public/nodes/<code>/orders` from a citizen's phone, each phone at an
 *    address of its own as on a carrier's network, keeping the tracking token the page shows once;
 *  - the citizen's rating: `POST /api/v1/public/track/rating` with that token.
 * The desk's steps (制单, 派单) and the volunteers' (接单, 开始, 完成) stay commands of the dispatch
 * service: the desk is the console, and the simulated volunteers are the history's, with no phone
 * account to sign in with.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { categoryOf } from '../../../shared/candidates.js';
import type { IngestResult, PracticeEvent } from '../../../shared/events.js';
import { MAX_BATCH } from '../../../shared/events.js';
import { codeSegment } from '../../../shared/node-link.js';
import { isClosed } from '../../../shared/orders.js';
import { PUBLIC_API, TRACK_TOKEN_HEADER, type CitizenOrderBody } from '../../../shared/public.js';
import type { OrderPort, PortAnswer } from '../../../seed/flows/orders.js';
import { INTERNAL_HEADER, internalMark } from '../../logger.js';

export interface SimulatorPaths {
  /** Sends one tick's events as a device does; throws when the server refuses the batch. */
  emit(events: PracticeEvent[]): Promise<void>;
  /** 群众点单 and ratings as a citizen's phone; `desk` takes every other step. */
  orders(desk: OrderPort): OrderPort;
}

/** When a simulated citizen wants the service: from the next hour, for two hours. */
const HOUR = 3_600_000;
const WINDOW_HOURS = 2;

/** Carrier-grade NAT space (100.64.0.0/10): where phones on a mobile network come from. */
function phoneAddress(n: number): string {
  const x = n % 2 ** 22;
  return `100.${64 + (x >> 16)}.${(x >> 8) & 255}.${x & 255}`;
}
const phoneNumber = (): string => `1${randomInt(3, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}`;

export function simulatorPaths(app: FastifyInstance, deviceToken: string): SimulatorPaths {
  const mark = { [INTERNAL_HEADER]: internalMark };
  let phones = randomInt(0, 2 ** 22);
  /** The tracking token each citizen keeps for their order, until they have rated it. */
  const tokens = new Map<string, string>();
  const refusal = (response: LightMyRequestResponse): string => {
    const body = response.json<{ code?: string }>();
    return `${response.statusCode} ${body.code ?? ''}`.trim();
  };
  /** The order as the dispatch service has it now (what the flow follows). */
  const current = (orderId: string): PortAnswer => {
    const o = app.dispatch.order(orderId);
    return o ? { orderId, state: o.state, version: o.version, assignee: o.assignee } : null;
  };

  return {
    async emit(events) {
      for (let i = 0; i < events.length; i += MAX_BATCH) {
        const response = await app.inject({
          method: 'POST',
          url: '/api/v1/events',
          headers: { ...mark, authorization: `Bearer ${deviceToken}` },
          payload: events.slice(i, i + MAX_BATCH),
        });
        if (response.statusCode !== 200) throw new Error(`events refused: ${refusal(response)}`);
        const result = response.json<IngestResult>();
        if (result.rejected > 0) {
          const codes = new Set(result.items.flatMap((item) => ('code' in item ? [item.code] : [])));
          throw new Error(`${result.rejected} events rejected: ${[...codes].join(', ')}`);
        }
      }
    },

    orders(desk) {
      const citizen = (url: string, payload: object, token?: string) =>
        app.inject({
          method: 'POST',
          url,
          // A phone of its own: the public limits per address hold for each citizen as for a person.
          remoteAddress: phoneAddress((phones += 1)),
          headers: { ...mark, ...(token ? { [TRACK_TOKEN_HEADER]: token } : {}) },
          payload,
        });
      return {
        async request(r) {
          const node = app.network.nodes.find((n) => n.id === r.venueId);
          if (!node) return null;
          const from = Math.ceil(Date.now() / HOUR) * HOUR;
          const body: CitizenOrderBody = {
            commandId: randomUUID(),
            category: categoryOf(r.title) || 'other',
            window: { from, to: from + WINDOW_HOURS * HOUR },
            note: r.title,
            phone: phoneNumber(),
          };
          const segment = codeSegment(node.code);
          if (segment === null) return null;
          const response = await citizen(`${PUBLIC_API}/nodes/${segment}/orders`, body);
          // Over a node's hourly budget the citizen gives up, as a person told to try later might.
          if (response.statusCode !== 200) return response.statusCode === 503 ? 'retry' : null;
          const { token } = response.json<{ token: string }>();
          const orderId = await app.citizens.desk.orderOfToken(token);
          if (orderId === null) return null;
          tokens.set(orderId, token);
          return current(orderId);
        },
        async command(c) {
          const token = tokens.get(c.orderId);
          if (c.command.type !== 'rate' || token === undefined) {
            const answer = await desk.command(c);
            // An order closed short of its service will never be rated: its citizen forgets the link.
            if (answer === null || (answer !== 'retry' && isClosed(answer.state) && answer.state !== 'completed'))
              tokens.delete(c.orderId);
            return answer;
          }
          tokens.delete(c.orderId);
          const response = await citizen(
            `${PUBLIC_API}/track/rating`,
            { commandId: randomUUID(), score: c.command.score, comment: '' },
            token,
          );
          if (response.statusCode === 503) return 'retry';
          return current(c.orderId);
        },
        report: (event) => desk.report(event),
      };
    },
  };
}
