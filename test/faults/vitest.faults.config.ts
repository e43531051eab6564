import { defineConfig } from 'vitest/config';

// The long fault runs (`npm run test:faults`): the fast parts in *.test.ts run in `npm test` too. One file at a time:
// each one starts a broker, a simulated modem and daemons it kills, and timing faults need the CPU they ask for.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.faults.ts', 'test/faults/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});
