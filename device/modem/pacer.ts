/**
 * Paces bytes at a serial line rate: 10 bits per byte on the wire (start, 8 data, stop), so one byte every
 * `10 000 / baud` ms. Used for `--baud N` so benchmarks pay what a real UART costs — and no more.
 *
 * Exact, not ticked: each write is placed on a timeline against a monotonic clock (it starts when the line is free,
 * i.e. at once on an idle line or right after the bytes queued before it) and each byte is handed on at the moment
 * its stop bit would have arrived (`bytesArrived`). The wake-ups are timers set for those moments, so the only
 * error is the timer's own lateness (Node timers have 1 ms resolution), never a tick period: an earlier version
 * released bytes on a 5 ms interval, which added up to 5 ms to every line and 5 ms to the first byte after an idle
 * line — as much as the daemon's own work on a received SMS. Long writes are handed on in slices of at most
 * SLICE_BYTES as they arrive, as a UART's receive FIFO would, so a reader still sees a long PDU line in pieces.
 */

/** Monotonic milliseconds and a timer: performance.now() by default, a manual clock in tests. */
interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const monotonicClock: PacerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** At most this many bytes are held back before they are handed on (a 16550 UART's FIFO is 16; a tty flip buffer more). */
export const SLICE_BYTES = 64;

/**
 * How many of `length` bytes, put on the line from `start` (ms) at `byteMs` per byte, have fully arrived at `now`.
 * Pure. The tolerance absorbs floating-point error so that a byte due exactly now counts as arrived.
 */
export function bytesArrived(start: number, byteMs: number, length: number, now: number): number {
  if (now <= start) return 0;
  return Math.min(length, Math.floor((now - start) / byteMs + 1e-9));
}

interface OnTheLine {
  data: Buffer;
  /** When its first byte starts on the wire. */
  start: number;
  /** Bytes already handed on. */
  handed: number;
}

export class Pacer {
  private readonly queue: OnTheLine[] = [];
  private timer: unknown;
  /** When the last byte queued so far will have arrived: the line is busy until then. */
  private lineFreeAt = Number.NEGATIVE_INFINITY;
  /** Milliseconds per byte. */
  readonly byteMs: number;

  constructor(
    baud: number,
    private readonly sink: (data: Buffer) => void,
    private readonly clock: PacerClock = monotonicClock,
  ) {
    if (!Number.isFinite(baud) || baud < 300) throw new RangeError(`baud must be at least 300, got ${baud}`);
    this.byteMs = 10_000 / baud;
  }

  push(data: Buffer): void {
    if (data.length === 0) return;
    const start = Math.max(this.clock.now(), this.lineFreeAt);
    this.lineFreeAt = start + data.length * this.byteMs;
    this.queue.push({ data, start, handed: 0 });
    this.schedule();
  }

  /** Hands on every byte that has arrived by now, then sets the timer for the next hand-over. */
  private release(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const arrived = bytesArrived(head.start, this.byteMs, head.data.length, now);
      if (arrived > head.handed) {
        this.sink(head.data.subarray(head.handed, arrived));
        head.handed = arrived;
      }
      if (head.handed < head.data.length) break;
      this.queue.shift();
    }
    this.schedule();
  }

  /** The next hand-over: when the head write is complete, or its next SLICE_BYTES are, whichever comes first. */
  private schedule(): void {
    if (this.timer !== undefined) return;
    const head = this.queue[0];
    if (!head) return;
    const upTo = Math.min(head.data.length, head.handed + SLICE_BYTES);
    const due = head.start + upTo * this.byteMs;
    // Rounded up: a timer that fires a fraction early would find the byte not yet arrived and cost a second wake-up.
    this.timer = this.clock.setTimeout(() => this.release(), Math.max(0, Math.ceil(due - this.clock.now())));
  }

  /** Drops what was not yet handed on (the line went away). */
  close(): void {
    this.queue.length = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.lineFreeAt = Number.NEGATIVE_INFINITY;
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
