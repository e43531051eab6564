import { type Clock, unrefTimer } from '../util/clock.js';

/**
 * Races a promise against a timer on `clock` (the daemon's, so a test drives it with a ManualClock); the timer never
 * keeps the process alive. The promise itself goes on: the caller decides what a late result means.
 */
export function withDeadline<T>(clock: Clock, promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = clock.setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    unrefTimer(timer);
  });
  return Promise.race([promise, deadline]).finally(() => {
    if (timer !== undefined) clock.clearTimeout(timer);
  });
}
