/**
 * Paces bytes at a serial line rate: 10 bits per byte on the wire (start, 8 data, stop), so `baud / 10` bytes per
 * second, released in small chunks on a timer. Used for `--baud N` so benchmarks pay what a real UART costs.
 */
export class Pacer {
  private readonly queue: Buffer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private credit = 0;
  private readonly bytesPerMs: number;

  constructor(
    baud: number,
    private readonly sink: (data: Buffer) => void,
    private readonly tickMs = 5,
  ) {
    if (!Number.isFinite(baud) || baud < 300) throw new RangeError(`baud must be at least 300, got ${baud}`);
    this.bytesPerMs = baud / 10 / 1000;
  }

  push(data: Buffer): void {
    this.queue.push(data);
    if (!this.timer) {
      this.lastTick = performance.now();
      this.credit = 0;
      this.timer = setInterval(() => this.tick(), this.tickMs);
    }
  }

  private tick(): void {
    const now = performance.now();
    this.credit += (now - this.lastTick) * this.bytesPerMs;
    this.lastTick = now;
    let allowed = Math.floor(this.credit);
    while (allowed > 0 && this.queue.length > 0) {
      const head = this.queue[0]!;
      const piece = head.subarray(0, allowed);
      this.sink(piece);
      allowed -= piece.length;
      this.credit -= piece.length;
      if (piece.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(piece.length);
    }
    if (this.queue.length === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Drops what was not yet written (the line went away). */
  close(): void {
    this.queue.length = 0;
    this.stop();
  }
}

/** Forwards bytes either directly or through a Pacer when a baud rate is given. */
export function lineWriter(
  baud: number | undefined,
  sink: (data: Buffer) => void,
): { write(data: Buffer): void; close(): void } {
  if (!baud) return { write: sink, close: () => {} };
  const pacer = new Pacer(baud, sink);
  return { write: (data) => pacer.push(data), close: () => pacer.close() };
}
