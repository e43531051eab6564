import { describe, expect, it } from 'vitest';
import { readinessOf } from '../../src/modem/readiness.js';
import { ReopenBackoff } from '../../src/modem/reopen-backoff.js';
import { SessionEvents } from '../../src/modem/session-events.js';
import { ManualClock } from '../../src/util/manual-clock.js';

const network = (registration: 'home' | 'searching' | null) => ({
  registration,
  operator: null,
  access_technology: null,
  signal: { rssi_dbm: null, quality: 'none' as const },
});

describe('the driver policies around a session', () => {
  it('readiness: degraded while not registered or with storage full, else ready', () => {
    const storage = { memory: 'SM', used: 3, total: 30 };
    expect(readinessOf(network('home'), storage)).toEqual({ state: 'ready', reason: null });
    expect(readinessOf(network('searching'), storage)).toMatchObject({ state: 'degraded', reason: /not registered/ });
    expect(readinessOf(network(null), storage).reason).toMatch(/not registered \(unknown\)/);
    expect(readinessOf(network('home'), { ...storage, used: 30 })).toEqual({
      state: 'degraded',
      reason: 'message storage SM is full',
    });
  });

  it('reopen backoff: doubles while sessions fail, restarts after one that initialised, stays put after a reset', () => {
    const backoff = new ReopenBackoff(1000, 8000);
    const failed = { initialised: false, reset: false };
    expect([1, 2, 3, 4, 5].map(() => backoff.after(failed))).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(backoff.after({ initialised: true, reset: false })).toBe(1000);
    expect(backoff.after(failed)).toBe(2000);
    expect(backoff.after({ initialised: false, reset: true })).toBe(1000);
    expect(backoff.after({ initialised: false, reset: true })).toBe(1000);
    expect(backoff.after(failed)).toBe(1000);
  });

  it('session events: taken in order, a wait ends with the first event or at its deadline, clear drops the rest', async () => {
    const clock = new ManualClock();
    const events = new SessionEvents(clock);
    events.push({ type: 'reboot' });
    events.push({ type: 'trouble' });
    expect(await events.next(1000)).toEqual({ type: 'reboot' });
    events.clear();
    const waiting = events.next(1000);
    events.push({ type: 'consumer-retry' });
    expect(await waiting).toEqual({ type: 'consumer-retry' });
    const timedOut = events.next(500);
    clock.advance(500);
    expect(await timedOut).toBeUndefined();
  });
});
