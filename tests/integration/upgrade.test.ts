/**
 * Upgrades: a data directory made and used by the previous release (v0.1.0, unpacked from this
 * repository's history and run on this checkout's node_modules) starts under this code, is
 * migrated, and serves the same history with the same accounts and tokens.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { IngestResult } from '../../shared/events.js';
import type { BrandRow } from '../../shared/queries/brands-ranking.js';
import { UTC_OFFSET_MS } from '../../shared/time-zone.js';
import { EmbeddedTransport } from '../../server/store/embedded.js';
import { loadMigrations } from '../../server/store/migrate.js';
import { checkin } from '../helpers/events.js';
import { figures, HISTORY_QUERIES } from '../helpers/figures.js';
import { eventually, startServer, type RunningServer } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The previous release: the tag, or its commit when the clone has no tags. */
const PREVIOUS = { tag: 'v0.1.0', commit: '3dc7806d9ac7890199f289e49a16929c776db4b3' };

/** The commit to unpack, or why there is none (a checkout without git history). */
function previousRelease(): { commit: string } | { missing: string } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
  for (const ref of [`${PREVIOUS.tag}^{commit}`, `${PREVIOUS.commit}^{commit}`]) {
    try {
      return { commit: git('rev-parse', '--verify', '--quiet', ref).toString('utf8').trim() };
    } catch {
      // not here: try the next spelling
    }
  }
  return { missing: `neither tag ${PREVIOUS.tag} nor commit ${PREVIOUS.commit} is in this checkout's git history` };
}

const release = previousRelease();
if ('missing' in release) {
  process.stderr.write(`\n*** UPGRADE TEST SKIPPED: ${release.missing}; clone with history to run it ***\n\n`);
}

const running = new Set<RunningServer>();
afterAll(async () => {
  for (const server of running) await server.stop();
});

describe('upgrade from the previous release', () => {
  it.skipIf('missing' in release)('migrates its data directory and serves the same history', async () => {
    if (!('commit' in release)) return;
    const old = mkdtempSync(join(tmpdir(), 'wmsj-v010-'));
    execSync(`git archive --format=tar ${release.commit} | tar -x -C '${old}'`, { cwd: ROOT });
    symlinkSync(join(ROOT, 'node_modules'), join(old, 'node_modules'));

    const previous = await startServer({ root: old });
    running.add(previous);
    const response = await fetch(`${previous.url}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${previous.token}` },
      body: JSON.stringify(
        Array.from({ length: 40 }, (_, i) => checkin({ volunteerId: `V${String(i).padStart(6, '0')}` })),
      ),
    });
    expect(((await response.json()) as IngestResult).accepted).toBe(40);
    const wall = await previous.wallToken();
    const before = await eventually(async () => {
      const read = await figures(previous.url, wall);
      return read.kpi.volunteersActive >= 40 ? read : undefined;
    });
    running.delete(previous);
    expect(await previous.stop()).toBe(0);

    const current = await startServer({ dataDir: previous.dataDir });
    running.add(current);
    const after = await figures(current.url, wall);
    // brands.ranking was redefined in this release (issue 14.8): it lists every brand, quiet ones
    // with zeros, and counts a brand's activities and their participants by when they were held.
    // What did not change — each brand's articles, reads and shares — must be the same.
    const brands = HISTORY_QUERIES.findIndex((q) => q.query === 'brands.ranking');
    const media = (rows: unknown) =>
      (rows as BrandRow[])
        .filter((b) => b.articles > 0)
        .map(({ id, name, articles, reads, shares }) => ({ id, name, articles, reads, shares }))
        .sort((a, b) => a.id.localeCompare(b.id));
    expect(media(before.panels[brands]).length).toBeGreaterThan(0);
    expect(media(after.panels[brands])).toEqual(media(before.panels[brands]));
    // The 30-day trends' daily points were placed at the ClickHouse server's midnight (UTC) before
    // and at the county's since (server/store/panel-repository.ts, a fix): the same figures, each
    // point the county's offset earlier; their marks keep their moments.
    const daily = new Set(
      HISTORY_QUERIES.flatMap((q, i) =>
        q.query === 'trend' && (q.params as { window?: string }).window === '30d' ? [i] : [],
      ),
    );
    expect(daily.size).toBeGreaterThan(0);
    const atCountyMidnight = (panel: unknown): unknown => {
      const trend = panel as { points: { t: number }[] };
      return { ...trend, points: trend.points.map((p) => ({ ...p, t: p.t - UTC_OFFSET_MS })) };
    };
    const others = (f: typeof after, shift: boolean) => ({
      ...f,
      panels: f.panels.flatMap((p, i) => (i === brands ? [] : [shift && daily.has(i) ? atCountyMidnight(p) : p])),
    });
    expect(others(after, false)).toEqual(others(before, true));
    await current.login();
    running.delete(current);
    expect(await current.stop()).toBe(0);

    const store = new EmbeddedTransport(join(previous.dataDir, 'clickhouse'));
    try {
      const applied = await store.query<{ version: number }>(
        'SELECT version FROM schema_migrations FINAL ORDER BY version',
      );
      expect(applied.map((m) => m.version)).toEqual(loadMigrations().map((m) => m.version));
    } finally {
      await store.close();
    }
  });
});
