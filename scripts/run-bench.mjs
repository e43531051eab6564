// Runs every benchmark in test/bench/ (files named *.bench.ts) one after another, each in its own process,
// so one benchmark's heap and timers cannot colour the next one's figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('../test/bench/', import.meta.url))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();
let status = 0;
for (const file of files) {
  console.log(`\n== ${file}`);
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/bench/vitest.bench.config.ts', `test/bench/${file}`],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) status = 1;
}
process.exit(status);
