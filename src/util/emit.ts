import type { EventEmitter } from 'node:events';

/**
 * Calls every listener of `event`, each on its own: one that throws is handed to `onError` and the others still run,
 * and the emitter's own work never sees the error (zigbee2mqtt's rule: a throwing listener is logged, never crashes
 * the emitter). Once-listeners are removed as `emit` would remove them.
 */
export function emitIsolated(
  emitter: EventEmitter,
  event: string | symbol,
  args: readonly unknown[],
  onError: (error: unknown) => void,
): void {
  for (const listener of emitter.rawListeners(event) as ((...a: unknown[]) => void)[]) {
    try {
      listener.apply(emitter, args as unknown[]);
    } catch (error) {
      onError(error);
    }
  }
}

/** The same rule for a plain set of listeners (an `on…(listener)` that returns its own unsubscribe). */
export function callIsolated<A extends unknown[]>(
  listeners: Iterable<(...args: A) => void>,
  args: A,
  onError: (error: unknown) => void,
): void {
  // A copy: a listener that unsubscribes itself (or another) must not change who hears this call.
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (error) {
      onError(error);
    }
  }
}
