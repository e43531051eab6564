import type { Journal, PruneResult, StorageUsage } from '../store/index.js';
import { type Clock, every, systemClock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

interface RetentionOptions {
  journal: Journal;
  now: () => number;
  logger: Logger;
  /** `store.retention_days` in ms: finished records older than this go. */
  maxAgeMs: number;
  /** `store.max_size_mb` in bytes: beyond it the oldest finished records go, whatever their age. */
  maxBytes: number;
  /** How often to run; default hourly. */
  intervalMs?: number;
  /** Times the passes; default the system clock. */
  clock?: Clock;
  /** Rows per table per step; default 200 (one small transaction, one fsync). */
  batchRows?: number;
  /** Pages returned to the file system per step; default 128 (512 KiB at 4 KiB pages). */
  vacuumPages?: number;
  /** Called after every run with the disk use (the daemon re-publishes bridge/info). */
  onRun?(report: RetentionReport): void;
  /** Called when a pass fails (e.g. the disk is full); the next pass tries again. */
  onError?(message: string): void;
}

export interface RetentionReport {
  at: number;
  removed: PruneResult;
  pages_released: number;
  usage: StorageUsage;
  /** The journal is above max_size_mb and holds nothing finished to prune (all of it is waiting to go out). */
  over_size: boolean;
  took_ms: number;
}

const ZERO: PruneResult = { inbox: 0, parts: 0, outbox: 0, status_events: 0 };
const add = (a: PruneResult, b: PruneResult): PruneResult => ({
  inbox: a.inbox + b.inbox,
  parts: a.parts + b.parts,
  outbox: a.outbox + b.outbox,
  status_events: a.status_events + b.status_events,
});
const total = (r: PruneResult) => r.inbox + r.parts + r.outbox + r.status_events;

/** One turn of the event loop between steps: MQTT traffic and modem I/O run in between (better-sqlite3 is synchronous). */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Journal retention, so the journal fits a small SD card: by age (`store.retention_days`) and by size (`store.max_size_mb`),
 * in small steps so the bridge never waits long on SQLite, and never pruning what is not yet published or sent (the
 * journal's pruneBatch keeps those). Replaces the daemon's old hourly prune-by-age.
 */
export class Retention {
  private stopTimer: (() => void) | null = null;
  private running: Promise<RetentionReport | null> | null = null;
  private stopped = false;
  private last: RetentionReport | null = null;

  constructor(private readonly options: RetentionOptions) {}

  /** Runs once now (after the current tick), then every interval. */
  start(): void {
    setImmediate(() => void this.run());
    const clock = this.options.clock ?? systemClock;
    this.stopTimer = every(clock, this.options.intervalMs ?? 3_600_000, () => void this.run());
  }

  /** Stops the timer; resolves once a run in progress has finished its current step (call before closing the journal). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopTimer?.();
    await this.running;
  }

  get lastReport(): RetentionReport | null {
    return this.last;
  }

  /** One full retention pass (a pass already running is joined, not doubled). */
  run(): Promise<RetentionReport | null> {
    if (this.stopped) return Promise.resolve(null);
    this.running ??= this.pass()
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'journal retention failed; will try again');
        this.options.onError?.(error instanceof Error ? error.message : String(error));
        return null;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async pass(): Promise<RetentionReport | null> {
    const { journal, now } = this.options;
    const started = now();
    const batch = this.options.batchRows ?? 200;
    let removed = ZERO;
    // 1. By age.
    const cutOff = started - this.options.maxAgeMs;
    for (;;) {
      if (this.stopped) return null;
      const step = journal.pruneBatch(cutOff, batch);
      removed = add(removed, step);
      if (total(step) === 0) break;
      await yieldToLoop();
    }
    // 2. By size: the oldest finished records, whatever their age, until the data fits.
    let overSize = false;
    while (journal.storageUsage().used_bytes > this.options.maxBytes) {
      if (this.stopped) return null;
      const step = journal.pruneBatch(Number.MAX_SAFE_INTEGER, batch);
      removed = add(removed, step);
      if (total(step) === 0) {
        overSize = true;
        break;
      }
      await yieldToLoop();
    }
    // 3. Give the free pages back, a slice at a time.
    let released = 0;
    for (;;) {
      if (this.stopped) return null;
      const step = journal.compact(this.options.vacuumPages ?? 128);
      released += step;
      if (step === 0) break;
      await yieldToLoop();
    }
    const usage = journal.storageUsage();
    const report: RetentionReport = {
      at: started,
      removed,
      pages_released: released,
      usage,
      over_size: overSize,
      took_ms: now() - started,
    };
    this.last = report;
    if (overSize) {
      this.options.logger.warn(
        { used_bytes: usage.used_bytes, max_bytes: this.options.maxBytes },
        'journal is above store.max_size_mb but everything in it still waits to be published or sent; nothing pruned',
      );
    } else {
      this.options.logger.debug(
        { removed, pages_released: released, usage, took_ms: report.took_ms },
        'journal retention',
      );
    }
    this.options.onRun?.(report);
    return report;
  }
}
