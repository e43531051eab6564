/**
 * Exponential backoff with full jitter (delay drawn from [min, current]), doubling up to max. The random source is a
 * parameter so tests can pin it.
 */
export class Backoff {
  private current: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {
    this.current = minMs;
  }

  /** The next delay to wait; each call doubles the ceiling until maxMs. */
  next(): number {
    const ceiling = this.current;
    this.current = Math.min(this.maxMs, this.current * 2);
    return Math.round(this.minMs + (ceiling - this.minMs) * this.random());
  }

  reset(): void {
    this.current = this.minMs;
  }
}
