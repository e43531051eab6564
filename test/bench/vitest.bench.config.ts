import { defineConfig } from 'vitest/config';

// Benchmarks are plain vitest files that measure and print a table; one file at a time, one worker, long deadlines.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
