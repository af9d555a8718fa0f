/**
 * The field loop under load (issue 16): 2,000 volunteers' phones connected on `/field`, 50
 * check-ins/s by scanning (`POST /api/v1/field/scans`) and 5 点单/s from nodes' public pages, while
 * the usual 5,000 events/s stream in from devices. A wall on `/live` times each phone action until
 * its line on the feed; beside it, the device probes of the same load (the path the phones must not
 * be slower than). The public node page is timed idle first, then under that load.
 *
 * The phones come from many loopback addresses (127.0.1.x): registration allows 10 a minute per
 * address, as it does for real phones behind their own addresses; the public limits are raised for
 * the run (a carrier NAT puts thousands of phones behind one address, which a county sets in config).
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type LiveServerToClient } from '../shared/live.js';
import type { NetworkNode } from '../shared/network.js';
import { codeSegment } from '../shared/node-link.js';
import { PUBLIC_API } from '../shared/public.js';
import { FIELD_NAMESPACE } from '../shared/field.js';
import { orderBody } from '../tests/helpers/citizen.js';
import { startServer, type RunningServer } from '../tests/helpers/server.js';
import { percentile, round, type BenchRow } from './lib.js';
import { now, probeSentAt, runLoad, type Probes } from './live-load.js';

const PHONES = Number(process.env['BENCH_PHONES'] ?? 2_000);
const CHECKINS_PER_S = Number(process.env['BENCH_CHECKINS'] ?? 50);
const ORDERS_PER_S = Number(process.env['BENCH_ORDERS'] ?? 5);
const RATE = Number(process.env['BENCH_RATE'] ?? 5_000);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 20);
/** Registrations a loopback address makes (the route allows 10 a minute per address). */
const PER_ADDRESS = 8;
const SET_UP_CONCURRENCY = 6;

interface Answer {
  status: number;
  body: string;
  cookie: string | null;
}

/** One request from a chosen loopback address (fetch cannot pick its source address). */
function call(
  server: RunningServer,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; from?: string } = {},
): Promise<Answer> {
  const url = new URL(path, server.url);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: options.from ?? '127.0.0.1',
        headers: {
          ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => {
          const set = res.headers['set-cookie']?.[0]?.split(';')[0] ?? null;
          resolve({ status: res.statusCode ?? 0, body, cookie: set });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const addressOf = (i: number) =>
  `127.0.${1 + Math.floor(i / PER_ADDRESS / 250)}.${1 + (Math.floor(i / PER_ADDRESS) % 250)}`;

async function inBatches<T>(count: number, each: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += SET_UP_CONCURRENCY) {
    const n = Math.min(SET_UP_CONCURRENCY, count - i);
    out.push(...(await Promise.all(Array.from({ length: n }, (_, k) => each(i + k)))));
  }
  return out;
}

interface Phone {
  id: string;
  cookie: string;
  from: string;
  nodeId: string;
}

/** Registers, approves and logs in `PHONES` volunteers of one town, each signed up for an activity at one of `places`. */
async function readyPhones(server: RunningServer, admin: string, town: string, station: string, places: NetworkNode[]) {
  const activities: { id: string; nodeId: string }[] = [];
  const perActivity = Math.ceil(PHONES / places.length);
  for (const place of places) {
    const published = await call(server, 'POST', '/api/v1/activities', {
      cookie: admin,
      body: {
        title: `压测活动 ${place.name}`.slice(0, 60),
        category: 'elderly',
        nodeId: place.id,
        startsAt: Date.now() - 10 * 60_000,
        endsAt: Date.now() + 3 * 3_600_000,
        capacity: perActivity,
        brandId: '',
      },
    });
    if (published.status !== 201 && published.status !== 200)
      throw new Error(`publish: ${published.status} ${published.body}`);
    activities.push({ id: (JSON.parse(published.body) as { id: string }).id, nodeId: place.id });
  }
  return inBatches(PHONES, async (i): Promise<Phone> => {
    const from = addressOf(i);
    const phone = `137${String(i).padStart(8, '0')}`;
    const password = 'bench volunteer password';
    const registered = await call(server, 'POST', '/api/v1/field/register', {
      from,
      body: {
        name: '压测志愿者',
        phone,
        password,
        instituteId: town,
        stationId: station,
        skills: ['elderly'],
        availability: ['weekend_morning'],
      },
    });
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${registered.body}`);
    const { id } = JSON.parse(registered.body) as { id: string };
    // The desk's approvals spread over addresses too: every address has 600 requests a minute.
    const approved = await call(server, 'POST', `/api/v1/volunteer-accounts/${id}/approve`, {
      cookie: admin,
      body: {},
      from: `127.0.7.${1 + (i % 250)}`,
    });
    if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.body}`);
    const login = await call(server, 'POST', '/api/v1/field/login', { from, body: { phone, password } });
    if (login.status !== 200 || !login.cookie) throw new Error(`login: ${login.status} ${login.body}`);
    const activity = activities[i % activities.length];
    if (!activity) throw new Error('no activity');
    const signed = await call(server, 'POST', `/api/v1/field/activities/${activity.id}/signup`, {
      from,
      cookie: login.cookie,
      body: {},
    });
    if (signed.status >= 300) throw new Error(`signup: ${signed.status} ${signed.body}`);
    return { id, cookie: login.cookie, from, nodeId: activity.nodeId };
  });
}

function connectPhone(server: RunningServer, phone: Phone): Promise<Socket> {
  const socket = io(`${server.url}${FIELD_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    extraHeaders: { cookie: phone.cookie },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Times a GET of the node's public page and its answer's API, `count` times, spaced `everyMs`. */
async function samplePage(
  server: RunningServer,
  segments: string[],
  count: number,
  everyMs: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const segment = segments[i % segments.length] ?? '';
    const t = now();
    const [page, api] = await Promise.all([
      call(server, 'GET', `/c/${segment}`, { from: `127.0.9.${1 + (i % 200)}` }),
      call(server, 'GET', `${PUBLIC_API}/nodes/${segment}`, { from: `127.0.9.${1 + (i % 200)}` }),
    ]);
    if (page.status === 200 && api.status === 200) samples.push(now() - t);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return samples.sort((a, b) => a - b);
}

export async function benchField(): Promise<BenchRow[]> {
  const server = await startServer({
    env: {
      BACKFILL_SCALE: '0',
      LOG_LEVEL: 'warn',
      SOCKETS_PER_ADDRESS: String(PHONES + 500),
      LOGIN_ATTEMPTS_PER_MINUTE: '100000',
      PUBLIC_POSTS_PER_MINUTE: '100000',
      PUBLIC_NODE_POSTS_PER_HOUR: '1000000',
      PUBLIC_READS_PER_MINUTE: '100000',
    },
  });
  const sockets: Socket[] = [];
  try {
    const wallToken = await server.wallToken();
    const network = (await (
      await fetch(`${server.url}/api/network`, { headers: { authorization: `Bearer ${wallToken}` } })
    ).json()) as { nodes: NetworkNode[] };
    const town = network.nodes.find((n) => n.level === 'institute');
    const stations = network.nodes.filter((n) => n.level === 'station' && n.instituteId === town?.id);
    const station = stations[0];
    if (!town || !station) throw new Error('the seeded network has no town with a station');
    const places = stations.slice(0, 10);
    const segments = places.map((p) => codeSegment(p.code) ?? '');
    const admin = await server.login();

    const setUpStarted = now();
    const phones = await readyPhones(server, admin, town.id, station.id, places);
    for (const phone of phones) sockets.push(await connectPhone(server, phone));
    const setUpSeconds = (now() - setUpStarted) / 1000;
    process.stderr.write(`field: ${phones.length} phones ready and connected in ${round(setUpSeconds)} s\n`);

    const idlePage = await samplePage(server, segments, 100, 20);

    // The wall: every check-in by its phone-made id, every new order by its node, in the order sent.
    const scans = new Map<string, number>();
    const orders = new Map<string, number[]>();
    const scanSamples: number[] = [];
    const orderSamples: number[] = [];
    const deviceSamples: number[] = [];
    const wall: Socket<LiveServerToClient> = io(`${server.url}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { token: wallToken },
    });
    sockets.push(wall);
    wall.on('live:tick', (tick) => {
      const at = now();
      for (const item of tick.feed) {
        const scanned = scans.get(item.id);
        if (scanned !== undefined) scanSamples.push(at - scanned);
        else if (item.type === 'order.transition' && item.tag === 'requested') {
          const sent = orders.get(item.nodeId)?.shift();
          if (sent !== undefined) orderSamples.push(at - sent);
        } else {
          const probe = probeSentAt(item.id);
          if (probe !== null) deviceSamples.push(Date.now() - probe);
        }
      }
    });
    await new Promise<void>((resolve) => wall.once('live:snapshot', () => resolve()));

    const refused = { scans: 0, orders: 0 };
    const actions = (async () => {
      const started = now();
      let next = 0;
      const inflight: Promise<void>[] = [];
      for (let tick = 0; now() - started < SECONDS * 1000; tick += 1) {
        // Every 20 ms: a check-in at 50/s is one a tick; a 点单 at 5/s one every tenth.
        if (tick % Math.max(1, Math.round(1000 / 20 / CHECKINS_PER_S)) === 0 && next < phones.length) {
          const phone = phones[next];
          next += 1;
          if (phone) {
            const id = randomUUID();
            scans.set(id, now());
            const body = { id, nodeId: phone.nodeId, action: 'checkin', at: Date.now(), position: null };
            inflight.push(
              call(server, 'POST', '/api/v1/field/scans', { from: phone.from, cookie: phone.cookie, body }).then(
                (a) => {
                  if (a.status !== 200) refused.scans += 1;
                },
              ),
            );
          }
        }
        if (tick % Math.max(1, Math.round(1000 / 20 / ORDERS_PER_S)) === 0) {
          const place = places[tick % places.length];
          const segment = segments[tick % segments.length];
          if (place && segment) {
            const queue = orders.get(place.id) ?? [];
            queue.push(now());
            orders.set(place.id, queue);
            inflight.push(
              call(server, 'POST', `${PUBLIC_API}/nodes/${segment}/orders`, {
                from: `127.0.8.${1 + (tick % 250)}`,
                body: orderBody(),
              }).then((a) => {
                if (a.status !== 201 && a.status !== 200) refused.orders += 1;
              }),
            );
          }
        }
        await new Promise((r) => setTimeout(r, Math.max(0, started + (tick + 1) * 20 - now())));
      }
      await Promise.all(inflight);
    })();
    const probes: Probes = new Map();
    const [, , loadedPage] = await Promise.all([
      runLoad(server, RATE, SECONDS, probes),
      actions,
      samplePage(server, segments, Math.round((SECONDS * 1000) / 100), 80),
    ]);
    await new Promise((r) => setTimeout(r, 1_000));
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const scan = sorted(scanSamples);
    const order = sorted(orderSamples);
    const device = sorted(deviceSamples);
    const load = `${PHONES} phones, ${RATE} events/s`;
    process.stderr.write(
      `field: ${scan.length} check-ins and ${order.length} 点单 seen on the wall; refused ${refused.scans} scans, ${refused.orders} orders\n`,
    );
    return [
      {
        bench: 'field',
        metric: `phones connected (set-up ${round(setUpSeconds)} s)`,
        value: sockets.length - 1,
        unit: '',
      },
      ...(['50', '99'] as const).flatMap((p) => [
        {
          bench: 'field',
          metric: `check-in → wall p${p}, ${CHECKINS_PER_S}/s, ${load} (baseline: device event → wall)`,
          value: round(percentile(scan, Number(p))),
          unit: 'ms',
          baseline: round(percentile(device, Number(p))),
        },
        {
          bench: 'field',
          metric: `点单 → wall p${p}, ${ORDERS_PER_S}/s, ${load} (baseline: device event → wall)`,
          value: round(percentile(order, Number(p))),
          unit: 'ms',
          baseline: round(percentile(device, Number(p))),
        },
      ]),
      {
        bench: 'field',
        metric: `public node page + its API p95 under that load (baseline: idle)`,
        value: round(percentile(loadedPage, 95)),
        unit: 'ms',
        baseline: round(percentile(idlePage, 95)),
      },
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}
