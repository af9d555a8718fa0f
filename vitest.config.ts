import { defineConfig } from 'vitest/config';

/** Store-facing files run a second time with the store over HTTP (project `integration-http`). */
const HTTP_LEG = [
  'tests/server/store/*.int.test.ts',
  'tests/server/queries/*.int.test.ts',
  'tests/server/live/panel-queries.int.test.ts',
  'tests/server/live/map-queries.int.test.ts',
  'tests/server/dispatch/dispatch.int.test.ts',
  'tests/server/dispatch/escalation.int.test.ts',
  'tests/server/teams/board.int.test.ts',
  'tests/server/backup/store-transport.int.test.ts',
  'tests/server/public/citizens.int.test.ts',
];

/**
 * Files that mostly wait on purpose: a wall cut off for 60 s, ClickHouse away for 30 s, a minute of
 * scripted faults, a session left to run out. Light load flows meanwhile, so their cores sit idle;
 * `npm test` (scripts/test.sh) runs them as the project `waits` in a vitest process of its own,
 * beside the other projects' two files at a time, so the waiting overlaps the rest of the suite
 * instead of holding one of its two places.
 */
const WAITS = [
  'tests/integration/wall-cut.test.ts',
  'tests/integration/clickhouse-outage.test.ts',
  'tests/integration/faults-run.test.ts',
  'tests/server/auth/ending.int.test.ts',
];

/**
 * Five projects (tests/README.md says where a test goes): unit (pure logic, fast, two shared processes), integration
 * (real chdb: the app in-process in `*.int.test.ts`, the server as a process in tests/integration),
 * the waits above, its HTTP leg (the store-facing files again, on a ClickHouse server process over HTTP)
 * and e2e (real Chromium). Beyond unit, each file runs in a process of its own (`forks`, isolated),
 * which chdb needs: it holds one data directory per process.
 *
 * Two files at a time: vitest's default on a 2-core machine is one (cores − 1), and most of the
 * integration and e2e time is waiting — fault windows, reconnects, a browser's frames — which a
 * second file fills. No test asserts a timing, so sharing the cores changes durations, not verdicts.
 */
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'tests/shared/**/*.test.ts',
            'tests/server/**/*.test.ts',
            'tests/seed/**/*.test.ts',
            'tests/client/**/*.test.ts',
            'tests/scripts/**/*.test.ts',
          ],
          exclude: ['tests/**/*.int.test.ts'],
          environment: 'node',
          pool: 'forks',
          // Pure logic shares its two processes: starting one per file cost more than its tests
          // (vitest run --project unit: 51 s isolated, 22 s shared). What a test changes in its
          // process is undone after it: globals and env by vitest, the clock by the setup file.
          isolate: false,
          unstubGlobals: true,
          unstubEnvs: true,
          setupFiles: ['tests/helpers/unit-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/**/*.int.test.ts'],
          exclude: WAITS,
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'waits',
          include: WAITS,
          environment: 'node',
          pool: 'forks',
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        // The HTTP leg (tests/README.md says why these files): the store-facing tests again, with the
        // store a ClickHouse server process over HTTP (CLICKHOUSE_URL) instead of chdb in-process.
        test: {
          name: 'integration-http',
          include: HTTP_LEG,
          environment: 'node',
          pool: 'forks',
          env: { TEST_CLICKHOUSE: 'http' },
          globalSetup: ['tests/helpers/chdb-http-global.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
