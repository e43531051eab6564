import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { TargetResult } from './harness.js';

/**
 * One seed for the whole `npm run fuzz` (FUZZ_SEED replays a run), and one table at the end: inputs per target, their
 * sum and the seed. Each fuzz file runs in its own worker and appends its counts to a JSON-lines file.
 */
export default function setup(project: TestProject) {
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : (Math.random() * 2 ** 31) >>> 0;
  const dir = mkdtempSync(join(tmpdir(), 'm2m-fuzz-'));
  const report = join(dir, 'report.jsonl');
  project.provide('fuzzSeed', seed);
  project.provide('fuzzReport', report);
  return () => {
    let rows: TargetResult[] = [];
    try {
      rows = readFileSync(report, 'utf8')
        .trim()
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as TargetResult);
    } catch {
      rows = [];
    }
    rmSync(dir, { recursive: true, force: true });
    const total = rows.reduce((sum, row) => sum + row.inputs, 0);
    const seconds = rows.reduce((sum, row) => sum + row.seconds, 0);
    console.log(`\nfuzz run, seed ${seed} (replay: FUZZ_SEED=${seed} npm run fuzz)`);
    console.table(
      rows.map((row) => ({ target: row.target, inputs: row.inputs, seconds: Number(row.seconds.toFixed(1)) })),
    );
    console.log(
      `total: ${total} inputs in ${seconds.toFixed(0)} s, every target listed passed (a failing one prints fast-check's report above and is missing here)`,
    );
  };
}
