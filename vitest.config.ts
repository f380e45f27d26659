import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic beside the code, no stack) and `integration` (test/, against
// the real Kafka, schema registry and ClickHouse that the global setup brings up).
export default defineConfig({
  test: {
    reporters: ['default', './test/setup/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'core/**/*.test.ts',
            'services/**/*.test.ts',
            'sdk/**/*.test.ts',
            'cli/**/*.test.ts',
            'scripts/**/*.test.ts',
            'console/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // The suites share one broker, registry and ClickHouse on a 2-core machine: run files one
          // at a time so that timing-sensitive fault tests are not starved.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
