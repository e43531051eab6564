import type { Clock } from '../util/clock.js';

/** A sleep that something else can cut short: the supervisor waits on it between periodic jobs. */
export class Wakeable {
  private pending: (() => void) | undefined;
  private woken = false;

  constructor(private readonly clock: Clock) {}

  wake(): void {
    this.woken = true;
    this.pending?.();
  }

  /** Resolves after `ms`, or at once/early when wake() was called since the last wait. */
  wait(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => finish(), Math.max(0, ms));
      const finish = () => {
        this.clock.clearTimeout(timer);
        this.pending = undefined;
        this.woken = false;
        resolve();
      };
      this.pending = finish;
    });
  }
}
