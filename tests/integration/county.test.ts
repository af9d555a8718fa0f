/**
 * A county given by path (NETWORK=tests/fixtures/county-example) boots the real server: the store
 * is seeded from its files (network, a year of its history sized by its own figures), the wall gets
 * its network with no code for it anywhere, a restart reads the same network back from the store,
 * and a county file with a mistake stops the start with the mistake named.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientConfig } from '../../shared/api.js';
import type { KpiSnapshot } from '../../shared/kpi.js';
import { countByLevel, type Network } from '../../shared/network.js';
import { startServer, type RunningServer } from '../helpers/server.js';

const EXAMPLE = fileURLToPath(new URL('../fixtures/county-example/', import.meta.url));
let server: RunningServer;

async function get<T>(path: string): Promise<T> {
  const token = await server.wallToken();
  const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

beforeAll(async () => {
  server = await startServer({ env: { NETWORK: EXAMPLE, BACKFILL_SCALE: '1' } });
}, 120_000);
afterAll(async () => {
  await server.stop();
});

describe('NETWORK=<a county directory>', () => {
  let network: Network;

  it('seeds the store from the files and serves the county to the wall', async () => {
    network = await get<Network>('/api/network');
    expect(network.county).toMatchObject({ network: 'county-example', name: '示例县', nameEn: 'Example County' });
    expect(countByLevel(network.nodes)).toEqual({ center: 1, institute: 3, station: 6, point: 9 });
    expect(network.nodes.find((n) => n.id === 'I02')).toMatchObject({
      name: '东山镇新时代文明实践所',
      address: '示例县东山镇东山街12号',
    });
    expect((await get<ClientConfig>('/api/client-config')).network).toBe('county-example');
    // The history is the county's own year: its registry and its appeals, not Shuangliu's.
    const kpi = await get<KpiSnapshot>('/api/kpi');
    expect(kpi).toMatchObject({ registeredVolunteers: 600, appealsReceived: 300 });
    // 290 of its 300 close in the year, but an appeal's steps take up to about 5.2 days
    // (seed/rhythm.ts APPEAL_STEP_MIN) and the history leaves the steps after now to the live
    // simulator: the last days' few (300 a year is under one a day) may still be in progress.
    expect(kpi.appealsClosed).toBeLessThanOrEqual(290);
    expect(kpi.appealsClosed).toBeGreaterThanOrEqual(270);
  });

  it('reads the same network back from the store after a restart, whatever NETWORK says then', async () => {
    const { dataDir } = server;
    expect(await server.stop()).toBe(0);
    server = await startServer({ dataDir, env: { NETWORK: 'baokang' } });
    expect(await get<Network>('/api/network')).toEqual(network);
  }, 120_000);

  it('refuses to start on a county file with a mistake, naming the file and the line', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'county-')), 'county-example');
    cpSync(EXAMPLE, dir, { recursive: true });
    const nodes = join(dir, 'nodes.csv');
    writeFileSync(nodes, readFileSync(nodes, 'utf8').replace('S06,站,I03,', 'S06,站,I09,'));
    const start = startServer({ env: { NETWORK: dir } });
    await expect(start).rejects.toThrow('nodes.csv line 11 (S06): orphan station, its parent I09 is not in the file');
  }, 60_000);
});
