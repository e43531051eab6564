import { defineConfig } from 'vitest/config';

// Integration tests start real processes (simulator on a pty, Mosquitto); two cores, so two workers.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**', 'dist/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
