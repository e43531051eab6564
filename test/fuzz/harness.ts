import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The seed of the whole `npm run fuzz` run (global-setup.ts). */
    fuzzSeed: number;
    /** JSON-lines file the fuzz files append their input counts to; global-setup.ts prints the total. */
    fuzzReport: string;
  }
}

/**
 * One fuzz target: a fast-check property and how many inputs the long run (`npm run fuzz`) and the short one
 * (`npm test`) feed it. The same property object serves both, so a regression found by the long run can be replayed by
 * the short one with FUZZ_SEED.
 */
export interface FuzzTarget {
  name: string;
  /** Inputs in `npm run fuzz`; the targets' sum is the run's 1,000,000. */
  fuzzRuns: number;
  // biome-ignore lint/suspicious/noExplicitAny: fast-check properties of any arity
  property: () => fc.IProperty<any> | fc.IAsyncProperty<any>;
}

let chosen: number | undefined;

/** FUZZ_SEED, else the run's seed from global-setup, else a fresh one; printed once per file either way. */
export function fuzzSeed(): number {
  if (chosen !== undefined) return chosen;
  const fromEnv = process.env.FUZZ_SEED;
  let provided: number | undefined;
  try {
    provided = inject('fuzzSeed');
  } catch {
    provided = undefined;
  }
  chosen = fromEnv !== undefined ? Number(fromEnv) : (provided ?? (Math.random() * 2 ** 31) >>> 0);
  console.log(`fuzz seed ${chosen} (replay with FUZZ_SEED=${chosen})`);
  return chosen;
}

/** FUZZ_SCALE shrinks the long run for a trial (e.g. 0.01); 1 is the real run. */
const scale = Number(process.env.FUZZ_SCALE ?? 1);

export interface TargetResult {
  target: string;
  inputs: number;
  seconds: number;
  seed: number;
}

/** Runs a target with `runs` inputs; throws fast-check's report (seed, path, counterexample) when it fails. */
export async function runTarget(target: FuzzTarget, runs: number): Promise<TargetResult> {
  const seed = fuzzSeed();
  const started = performance.now();
  const details = await fc.check(target.property(), { seed, numRuns: runs, endOnFailure: true });
  if (details.failed)
    throw new Error(`${target.name}: ${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}`);
  return { target: target.name, inputs: details.numRuns, seconds: (performance.now() - started) / 1000, seed };
}

/** The long run of a target: scaled runs, result appended to the run's report file and printed. */
export async function fuzzTarget(target: FuzzTarget): Promise<TargetResult> {
  const result = await runTarget(target, Math.max(1, Math.round(target.fuzzRuns * scale)));
  let report: string | undefined;
  try {
    report = inject('fuzzReport');
  } catch {
    report = undefined;
  }
  if (report) appendFileSync(report, `${JSON.stringify(result)}\n`);
  console.log(`${result.target}: ${result.inputs} inputs in ${result.seconds.toFixed(1)} s, seed ${result.seed}`);
  return result;
}
