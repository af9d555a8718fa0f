import { defineConfig } from 'vitest/config';

/**
 * Three projects (tests/README.md says where a test goes): unit (pure logic, fast), integration
 * (real chdb: the app in-process in `*.int.test.ts`, the server as a process in tests/integration)
 * and e2e (real Chromium). Each file runs in a process of its own (`forks`, isolated), which chdb
 * needs: it holds one data directory per process.
 */
export default defineConfig({
  test: {
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
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/**/*.int.test.ts'],
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
