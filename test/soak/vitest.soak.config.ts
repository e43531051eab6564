import { defineConfig } from 'vitest/config';

// The soak (`npm run soak`): one long file at a time in one worker. Its own loop is bounded in count and time
// (SOAK_COMMANDS, SOAK_MAX_MINUTES); the test deadline sits above that bound so the loop, not vitest, ends the run.
export default defineConfig({
  test: {
    include: ['test/soak/**/*.soak.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 75 * 60_000,
    hookTimeout: 120_000,
  },
});
