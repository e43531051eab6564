import { defineConfig } from 'vitest/config';

// The long fuzz run (`npm run fuzz`): test/fuzz/*.fuzz.ts with large numRuns (FUZZ_RUNS scales them). Files run one
// after another in one worker so the 2-core machine stays usable; the short versions of the same properties are
// test/fuzz/*.test.ts, which `npm test` runs.
export default defineConfig({
  test: {
    include: ['test/fuzz/**/*.fuzz.ts'],
    globalSetup: ['test/fuzz/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60 * 60_000,
    hookTimeout: 60_000,
  },
});
