import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/bridge/backoff.js';

// The MQTT reconnect delay (0.5 s doubling to 30 s, with jitter): a broker that stays away is asked less and
// less often, a fleet of gateways does not reconnect in lockstep (jitter), and a good connection starts over.

describe('Backoff', () => {
  it('doubles its ceiling from min to max and stays there', () => {
    const worst = new Backoff(1000, 30_000, () => 1);
    expect(Array.from({ length: 8 }, () => worst.next())).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('draws each delay between min and the current ceiling (jitter), never below min', () => {
    const draws = [0, 0.5, 0.25, 1];
    const backoff = new Backoff(1000, 30_000, () => draws.shift() ?? 0);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([1000, 1500, 1750, 8000]);
  });

  it('starts over from min after reset() (a connection that worked)', () => {
    const backoff = new Backoff(500, 8000, () => 1);
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });
});
