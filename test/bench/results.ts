import { appendFileSync } from 'node:fs';

/**
 * One line of the combined benchmark table that scripts/run-bench.mjs prints at the end of `npm run bench`. Every
 * figure stands beside what it should be read against — the serial line rate, the wire time of the same bytes, or a
 * target — because on a shared 2-core machine absolute times move with the load and ratios move much less.
 */
export interface BenchFigure {
  /** What was measured, e.g. "MT latency p50 (inject → MQTT subscriber)". */
  measure: string;
  /** The figure with its unit, e.g. "41.3 ms". */
  value: string;
  /** What it is read against, e.g. "wire 14.1 ms at 115200" or "target ≤ 80 MB". */
  reference: string;
  /** value / reference where that means something, e.g. "2.93×" or "61 % of line rate"; "" otherwise. */
  ratio: string;
}

/** Appends figures to the file named by BENCH_RESULTS (set by scripts/run-bench.mjs); a no-op when run alone. */
export function recordFigures(bench: string, figures: BenchFigure[]): void {
  const file = process.env.BENCH_RESULTS;
  if (!file) return;
  appendFileSync(file, figures.map((figure) => `${JSON.stringify({ bench, ...figure })}\n`).join(''));
}
