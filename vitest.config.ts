import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Shared two-core machines: no timing assertions, generous timeouts, few workers.
    maxWorkers: 2,
  },
});
