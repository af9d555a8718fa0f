/**
 * The public routes' limits on the real server (issue 16.6): POSTs per address, forms per node
 * (every address together), reads and tracking handshakes per address each answer 429
 * REQ_RATE_LIMITED (a refused handshake: its code), audited.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkNode } from '../../../shared/network.js';
import { codeSegment } from '../../../shared/node-link.js';
import { startApp, type TestApp } from '../../helpers/app.js';
import { nodePage, postAppeal, trackSocket } from '../../helpers/citizen.js';

let server: TestApp;
let stations: NetworkNode[];

const appeal = (n: NetworkNode) =>
  postAppeal(server, codeSegment(n.code) ?? '', {
    commandId: randomUUID(),
    category: 'consult',
    title: '请问活动几点开始',
  });

beforeAll(async () => {
  server = await startApp({
    env: { PUBLIC_POSTS_PER_MINUTE: '4', PUBLIC_NODE_POSTS_PER_HOUR: '2', PUBLIC_READS_PER_MINUTE: '3' },
  });
  stations = server.app.network.nodes.filter((n) => n.level === 'station');
});
afterAll(async () => {
  await server.close();
});

describe('public limits', () => {
  it('a node takes PUBLIC_NODE_POSTS_PER_HOUR forms, an address PUBLIC_POSTS_PER_MINUTE; then 429, audited', async () => {
    const [a, b] = stations as [NetworkNode, NetworkNode];
    expect((await appeal(a)).status).toBe(200);
    expect((await appeal(a)).status).toBe(200);
    const perNode = await appeal(a);
    expect(perNode).toMatchObject({ status: 429, body: { code: 'REQ_RATE_LIMITED' } });
    // Another node still takes this address's fourth POST; its fifth is refused for the address.
    expect((await appeal(b)).status).toBe(200);
    expect(await appeal(b)).toMatchObject({ status: 429, body: { code: 'REQ_RATE_LIMITED' } });
    const audit = readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8');
    expect(audit.match(/"public\.refused".*REQ_RATE_LIMITED/g)).toHaveLength(2);
  });

  it('tracking handshakes are limited per address like reads, audited', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const { socket, ready } = trackSocket(server.url, 'A'.repeat(43));
      codes.push(await ready);
      socket.close();
    }
    expect(codes).toEqual(['TRACK_NOT_FOUND', 'TRACK_NOT_FOUND', 'TRACK_NOT_FOUND', 'REQ_RATE_LIMITED']);
    const audit = readFileSync(`${server.dataDir}/audit.jsonl`, 'utf8');
    expect(audit).toContain('socket /track REQ_RATE_LIMITED');
  });

  it('reads are limited per address too', async () => {
    const segment = codeSegment(stations[2]?.code ?? '') ?? '';
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await nodePage(server, segment)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
