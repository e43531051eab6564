/**
 * Time as a dependency. Everything that waits (command deadlines, backoff, periodic sweeps) takes a Clock, so tests
 * drive time with ManualClock instead of sleeping (STYLE.md: node-serialport's timers took no injectable clock).
 */
export type TimerHandle = { readonly __timer: true } | object;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: Date.now and Node's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * Lets the process exit while `handle` is pending (Node's timer.unref); other clocks' handles have nothing to release.
 * For housekeeping timers that must not keep a stopping process alive.
 */
export function unrefTimer(handle: TimerHandle): void {
  (handle as { unref?: () => void }).unref?.();
}

/**
 * Calls `callback` every `ms` on `clock`, the next turn armed before the callback runs (as setInterval), each timer
 * unref'd (housekeeping must not keep a stopping process alive). Returns the function that stops it.
 */
export function every(clock: Clock, ms: number, callback: () => void): () => void {
  let stopped = false;
  let handle: TimerHandle;
  const arm = () => {
    handle = clock.setTimeout(() => {
      if (stopped) return;
      arm();
      callback();
    }, ms);
    unrefTimer(handle);
  };
  arm();
  return () => {
    stopped = true;
    clock.clearTimeout(handle);
  };
}

/** Resolves after `ms` on the given clock; rejects with the signal's reason when aborted first. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
