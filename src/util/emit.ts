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
