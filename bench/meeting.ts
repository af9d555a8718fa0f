/**
 * Meeting control: a tablet's command → every wall of a group of 10 has it. The walls are 10 real
 * socket.io clients on `/live` with a wall token in the group (the payload the wall's store applies;
 * no browser, so the figure is the server's decide-store-fan-out and the wire, not a GPU's frame).
 * The tablet is a real `/meeting` client logged in as a leader; each command switches a trend's
 * window and carries a marker each wall times. Beside it, in the same run and interleaved one for
 * one: a live frame tick to the same 10 walls (a check-in posted → its feed row in `live:tick` on
 * the last of them; the tick is the hub's batched frame, so it includes the batching interval).
 *
 * Then the redraw: BENCH_MEETING_PAGES walls (default 4) as real Chromium pages in one browser
 * (playwright-core, /usr/bin/chromium; on 2 cores more pages measure the machine's CPU more than
 * the command), in the same group, the wall's own build. Each command's time runs from the tablet's
 * emit to the moment the wall stamps it drew the new view (client/dashboard/useMeetingFollow.ts:
 * after the DOM update, a frame and a task after its paint, `data-meeting-drawn-at` in epoch ms, the
 * page's own clock, so polling the page adds nothing to the figure).
 */
import type { Browser, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { launchBrowser, openPage } from '../tests/helpers/browser.js';
import { LIVE_NAMESPACE } from '../shared/live.js';
import type { MeetingView, WallMeeting } from '../shared/meeting.js';
import type { GroupHold } from '../shared/meeting.js';
import type { Result } from '../shared/result.js';
import { startServer } from '../tests/helpers/server.js';
import { makeEvents, percentile, round, type BenchRow } from './lib.js';
import { now } from './live-load.js';

const WALLS = Number(process.env['BENCH_MEETING_WALLS'] ?? 10);
const COMMANDS = Number(process.env['BENCH_MEETING_COMMANDS'] ?? 200);
const PAGES = Number(process.env['BENCH_MEETING_PAGES'] ?? 4);
const PAGE_COMMANDS = Number(process.env['BENCH_MEETING_PAGE_COMMANDS'] ?? 40);
/** Between two commands to the pages: each wall has settled (the trend's chart redrawn) first. */
const PAGE_PAUSE_MS = 500;
const GROUP = '主屏';
const LEADER = { username: 'bench-leader', password: 'bench-leader-password', role: 'leader' as const };
/** A command or a probe not on every wall by then is counted as missed, not waited on. */
const WAIT_MS = 5_000;

const view = (i: number): MeetingView => ({
  dashboard: 'evaluation',
  scope: null,
  card: null,
  // The trend's window alternates (what a wall redraws); `bench` is a marker no panel reads.
  windows: { trend: i % 2 === 0 ? '7d' : '30d', bench: `n${i}` },
  heat: null,
});

/** Resolves once every wall has reported `key`, or after WAIT_MS; answers the arrival times it got. */
function arrivals(seen: Map<string, number[]>, key: string): Promise<number[]> {
  return new Promise((resolve) => {
    const started = now();
    const check = () => {
      const got = seen.get(key) ?? [];
      if (got.length >= WALLS || now() - started > WAIT_MS) return resolve(got);
      setTimeout(check, 1);
    };
    check();
  });
}

export async function benchMeeting(): Promise<BenchRow[]> {
  const server = await startServer({ users: [LEADER], env: { BACKFILL_SCALE: '0', LOG_LEVEL: 'warn' } });
  const sockets: Socket[] = [];
  try {
    const admin = await server.login();
    const created = await server.createToken({ role: 'wall', label: 'bench group' });
    const put = await fetch(`${server.url}/api/v1/admin/screen-groups/${created.info.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin },
      body: JSON.stringify({ group: GROUP }),
    });
    if (put.status !== 200) throw new Error(`screen group answered ${put.status}`);

    /** Marker (a command's `n<i>`, a probe's event id) → when each wall had it. */
    const seen = new Map<string, number[]>();
    const mark = (key: string) => seen.set(key, [...(seen.get(key) ?? []), now()]);
    for (let i = 0; i < WALLS; i += 1) {
      const socket = io(`${server.url}${LIVE_NAMESPACE}`, {
        transports: ['websocket'],
        forceNew: true,
        auth: { token: created.token },
      });
      socket.on('live:meeting', (m: WallMeeting) => {
        const marker = m.view?.windows['bench'];
        if (marker) mark(marker);
      });
      socket.on('live:tick', (tick: { feed: { id: string }[] }) => tick.feed.forEach((item) => mark(item.id)));
      await new Promise<void>((resolve) => socket.once('live:snapshot', () => resolve()));
      sockets.push(socket);
    }

    const cookie = await server.login(LEADER.username, LEADER.password);
    const tablet = io(`${server.url}/meeting`, {
      transports: ['websocket'],
      forceNew: true,
      auth: { tablet: 'bench-tablet-0001' },
      extraHeaders: { cookie },
    });
    sockets.push(tablet);
    const call = (event: string, body: unknown) =>
      new Promise<Result<GroupHold>>((resolve) => tablet.emit(event, body, resolve));
    await new Promise<void>((resolve) => tablet.once('connect', () => resolve()));
    const taken = await call('meeting:take', { group: GROUP, view: view(COMMANDS) });
    if (!taken.ok) throw new Error(`take refused: ${taken.error.code}`);

    const command: number[] = [];
    const commandEach: number[] = [];
    const tick: number[] = [];
    const tickEach: number[] = [];
    let missed = 0;
    for (let i = 0; i < COMMANDS; i += 1) {
      const sent = now();
      void call('meeting:command', { group: GROUP, view: view(i) });
      const got = await arrivals(seen, `n${i}`);
      if (got.length < WALLS) missed += 1;
      else command.push(Math.max(...got) - sent);
      commandEach.push(...got.map((t) => t - sent));

      // The baseline: one check-in, its row on every wall's next live tick.
      const [event] = makeEvents(1, ['S001'], Date.now(), 1);
      if (!event) throw new Error('no check-in made');
      const id = event.id;
      const posted = now();
      void fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
        body: JSON.stringify([event]),
      });
      const ticked = await arrivals(seen, id);
      if (ticked.length === WALLS) tick.push(Math.max(...ticked) - posted);
      tickEach.push(...ticked.map((t) => t - posted));
    }
    const drawn = await redraws(server.url, created.token, (i) =>
      call('meeting:command', { group: GROUP, view: view(i) }),
    );
    await call('meeting:release', { group: GROUP });

    const p = (xs: number[], q: number) =>
      round(
        percentile(
          [...xs].sort((a, b) => a - b),
          q,
        ),
      );
    const label = `${WALLS} walls as socket clients, ${COMMANDS} commands`;
    return [
      {
        bench: 'meeting',
        metric: `tablet command → the last of the group's walls has it, p50 (${label})`,
        value: p(command, 50),
        unit: 'ms',
        baseline: p(tick, 50),
      },
      {
        bench: 'meeting',
        metric: `tablet command → the last of the group's walls has it, p99 (${label})`,
        value: p(command, 99),
        unit: 'ms',
        baseline: p(tick, 99),
        goal: '≤ 200 ms',
      },
      {
        bench: 'meeting',
        metric: 'tablet command → one wall, p99 (baseline: live tick → one wall, p99)',
        value: p(commandEach, 99),
        unit: 'ms',
        baseline: p(tickEach, 99),
      },
      { bench: 'meeting', metric: 'commands not on every wall within 5 s', value: missed, unit: '' },
      {
        bench: 'meeting',
        metric: `tablet command → the last of ${PAGES} Chromium walls has redrawn it (DOM painted), p50 (${drawn.last.length} commands; baseline: socket clients, p50)`,
        value: p(drawn.last, 50),
        unit: 'ms',
        baseline: p(command, 50),
      },
      {
        bench: 'meeting',
        metric: `tablet command → the last of ${PAGES} Chromium walls has redrawn it, p99 (baseline: socket clients, p99)`,
        value: p(drawn.last, 99),
        unit: 'ms',
        baseline: p(command, 99),
        goal: '≤ 200 ms',
      },
      { bench: 'meeting', metric: 'commands not redrawn on every page within 5 s', value: drawn.missed, unit: '' },
    ];
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
  }
}

/** The page's stamp of the last view it drew: its `windows` as JSON and when (epoch ms). */
const stampOf = (page: Page): Promise<{ drawn: string; at: number }> =>
  // A string, run in the page (this file is compiled without the DOM's types).
  page.evaluate<{ drawn: string; at: number }>(
    `({ drawn: document.documentElement.dataset.meetingDrawn ?? '', at: Number(document.documentElement.dataset.meetingDrawnAt ?? 0) })`,
  );

async function drawnBy(page: Page, marker: string): Promise<number | null> {
  const started = now();
  while (now() - started < WAIT_MS) {
    const stamp = await stampOf(page);
    if (stamp.drawn.includes(`"${marker}"`)) return stamp.at;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return null;
}

/**
 * PAGES Chromium walls in the group: PAGE_COMMANDS commands, each timed from its emit to every
 * page's stamp of having drawn it. Answers the time to the last page per command, and the misses.
 */
async function redraws(
  url: string,
  token: string,
  command: (i: number) => Promise<unknown>,
): Promise<{ last: number[]; missed: number }> {
  let browser: Browser | null = null;
  const errors: string[] = [];
  try {
    browser = await launchBrowser();
    const pages: Page[] = [];
    for (let i = 0; i < PAGES; i += 1) {
      const page = await openPage(browser, { width: 1920, height: 1080 }, { label: `wall ${i}`, into: errors });
      await page.goto(`${url}/#token=${token}`);
      pages.push(page);
    }
    // Every page follows the group (the dashboard the tablet holds) before the first timed command.
    await command(COMMANDS + 1);
    for (const page of pages)
      if ((await drawnBy(page, `n${COMMANDS + 1}`)) === null) throw new Error('a wall page never drew the group');
    const last: number[] = [];
    let missed = 0;
    for (let i = 0; i < PAGE_COMMANDS; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, PAGE_PAUSE_MS));
      // The epoch clock the page stamps with (performance.timeOrigin + now, as live-load's now()).
      const sent = now();
      void command(COMMANDS + 2 + i);
      const stamps = await Promise.all(pages.map((page) => drawnBy(page, `n${COMMANDS + 2 + i}`)));
      if (stamps.some((t) => t === null)) missed += 1;
      else last.push(Math.max(...(stamps as number[])) - sent);
    }
    if (errors.length > 0) console.warn(`wall pages reported errors: ${errors.slice(0, 3).join('; ')}`);
    return { last, missed };
  } finally {
    await browser?.close();
  }
}
