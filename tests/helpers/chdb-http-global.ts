/**
 * Global set-up of the suite's HTTP leg (vitest project `integration-http`): one ClickHouse server
 * process for every file of the leg — chdb serving ClickHouse's HTTP interface
 * (tests/helpers/chdb-http.ts) — as several app processes share one real server. Each file's stores
 * are databases of their own on it (tests/helpers/test-store.ts).
 */
import type { TestProject } from 'vitest/node';
import { startChdbHttp } from './chdb-http.js';

/** The leg's server's zone; tests/README.md names it. */
const SERVER_TIME_ZONE = 'America/New_York';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // In a time zone of its own, neither the app's nor the county's (Asia/Shanghai): SQL that leaned
  // on the server's zone instead of naming the county's ({tz:String}) answers differently here.
  const server = await startChdbHttp({ env: { TZ: SERVER_TIME_ZONE } });
  project.provide('clickhouseHttpUrl', server.url);
  return () => server.stop();
}
