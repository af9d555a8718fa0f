import { defineConfig } from 'vitest/config';

/**
 * Three projects: unit (pure logic, fast), integration (the real server on real chdb, one process
 * per file because chdb keeps one data directory per process) and e2e (real Chromium).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'tests/shared/**/*.test.ts',
            'tests/unit/**/*.test.ts',
            'tests/seed/**/*.test.ts',
            'tests/client/**/*.test.ts',
          ],
          exclude: ['tests/client/**/*.int.test.ts'],
          environment: 'node',
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'integration',
          // Client stores against the real server run here too (tests/client/*.int.test.ts).
          include: ['tests/integration/**/*.test.ts', 'tests/client/**/*.int.test.ts'],
          environment: 'node',
          pool: 'forks',
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
