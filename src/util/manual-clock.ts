import type { Clock, TimerHandle } from './clock.js';

interface ManualTimer {
  readonly id: number;
  readonly due: number;
  readonly callback: () => void;
}

/**
 * A Clock that only moves when told to. `advance(ms)` fires due timers in order (timers scheduled by callbacks fire
 * too if they fall inside the window); `advanceAsync` also lets promise continuations run between timers, which is
 * what code awaiting `sleep()` needs.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: ManualTimer = { id: this.nextId++, due: this.current + Math.max(0, ms), callback };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t !== handle);
  }

  /** Number of timers not yet fired. */
  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.popDue(end);
      if (!next) break;
      this.current = next.due;
      next.callback();
    }
    this.current = end;
  }

  /** Like advance, but yields to the microtask/macrotask queue before and after each timer. */
  async advanceAsync(ms: number): Promise<void> {
    const end = this.current + ms;
    await flush();
    for (;;) {
      const next = this.popDue(end);
      if (!next) break;
      this.current = next.due;
      next.callback();
      await flush();
    }
    this.current = end;
  }

  private popDue(end: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.due <= end && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    }
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
