// Runs every benchmark in test/bench/ (files named *.bench.ts) one after another, each in its own process,
// so one benchmark's heap and timers cannot colour the next one's figures. Each file appends its headline figures
// as JSON lines to the file in BENCH_RESULTS (test/bench/results.ts); at the end they are printed as ONE table
// (Markdown, ready for the README), with the machine and the load it ran under.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const only = process.argv.slice(2);
const files = readdirSync(new URL('../test/bench/', import.meta.url))
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => only.length === 0 || only.some((word) => name.includes(word)))
  .sort();
const dir = mkdtempSync(join(tmpdir(), 'm2m-bench-'));
const results = join(dir, 'results.jsonl');
const loadBefore = loadavg();
const started = new Date();
let status = 0;
const failed = [];
for (const file of files) {
  console.log(`\n== ${file}`);
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/bench/vitest.bench.config.ts', `test/bench/${file}`],
    {
      stdio: 'inherit',
      env: { ...process.env, BENCH_RESULTS: results },
    },
  );
  if (run.status !== 0) {
    status = 1;
    failed.push(file);
  }
}

let rows = [];
try {
  rows = readFileSync(results, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line));
} catch {
  rows = [];
}
rmSync(dir, { recursive: true, force: true });

const cell = (text) => String(text).replaceAll('|', '\\|');
const cpu = cpus();
console.log('\n== Summary (one row per headline figure; each file above prints its details)\n');
console.log('| benchmark | measure | value | beside | ratio |');
console.log('|---|---|---|---|---|');
for (const row of rows) {
  console.log(
    `| ${cell(row.bench)} | ${cell(row.measure)} | ${cell(row.value)} | ${cell(row.reference)} | ${cell(row.ratio)} |`,
  );
}
console.log(
  `\nmachine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}; ` +
    `started ${started.toISOString()}; load average before ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, ` +
    `after ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
);
if (failed.length > 0) console.log(`failed: ${failed.join(', ')}`);
process.exit(status);
