import { isRegistered } from './parsers/network.js';
import type { ModemState, NetworkStatus, StorageStatus } from './types.js';

/**
 * The state of an initialised modem, from what the last poll or URC said: `degraded` when a user should know
 * something (not registered: receiving continues, sending fails; storage full: new SMS wait at the network),
 * otherwise `ready`.
 */
export function readinessOf(
  network: NetworkStatus,
  storage: StorageStatus,
): { state: Extract<ModemState, 'ready' | 'degraded'>; reason: string | null } {
  if (!isRegistered(network.registration ?? undefined)) {
    return {
      state: 'degraded',
      reason: `not registered (${network.registration ?? 'unknown'}); receiving continues, sending will fail`,
    };
  }
  if (storage.total && storage.used !== null && storage.used >= storage.total)
    return { state: 'degraded', reason: `message storage ${storage.memory} is full` };
  return { state: 'ready', reason: null };
}
