import type { Logger } from 'pino';

export interface DrainSource<T> {
  /** What still waits for a PUBACK, oldest first. */
  list(limit: number): T[];
  /** A stable identity, so one record is never in flight twice. */
  keyOf(item: T): string;
  /** Publishes one record; resolves on the broker's PUBACK. */
  publish(item: T): Promise<void>;
  /** Records the PUBACK in the journal (only ever after publish resolved). */
  markDone(item: T): void;
}

/**
 * Publishes journal records that wait for a PUBACK (invariant 1: "marked published only when the broker acknowledged
 * it"). `kick()` after every commit and on every (re)connect; a drain already running picks the new work up.
 * Up to `window` publishes are in flight at once, so throughput is not one round trip per message.
 * While the broker is away the publishes wait inside the MQTT client and complete after it reconnects; after a
 * restart the journal still lists them, so they go out again with the same payload (and `id`).
 */
export class JournalDrain<T> {
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly source: DrainSource<T>,
    private readonly logger: Logger,
    private readonly window = 16,
  ) {}

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when no drain is running (for tests and orderly shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const batch = this.source.list(this.window * 4).filter((item) => !this.inFlight.has(this.source.keyOf(item)));
      if (batch.length === 0) break;
      const pending = new Set<Promise<void>>();
      for (const item of batch) {
        if (this.stopped) return;
        if (pending.size >= this.window) await Promise.race(pending);
        const task = this.publishOne(item).finally(() => pending.delete(task));
        pending.add(task);
      }
      await Promise.all(pending);
      // A full batch means there may be more; a kick during the drain also asks for another round.
      if (batch.length >= this.window * 4) this.again = true;
    } while (this.again && !this.stopped);
  }

  private async publishOne(item: T): Promise<void> {
    const key = this.source.keyOf(item);
    this.inFlight.add(key);
    try {
      await this.source.publish(item);
      if (!this.stopped) this.source.markDone(item);
    } catch (error) {
      // Not acknowledged: it stays in the journal and goes out on the next kick (reconnect, restart, new work).
      this.logger.warn({ err: error, drain: this.name, key }, 'publish not acknowledged; will retry');
    } finally {
      this.inFlight.delete(key);
    }
  }
}
