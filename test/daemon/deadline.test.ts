import { describe, expect, it } from 'vitest';
import { withDeadline } from '../../src/daemon/deadline.js';
import { ManualClock } from '../../src/util/manual-clock.js';

// The stop budget and the cell-detail budget run on the daemon's clock, like every other wait (issue: one Clock).

describe('withDeadline on the daemon clock', () => {
  it('rejects naming the step once the clock passes the limit, not before', async () => {
    const clock = new ManualClock(0);
    let settled: string | undefined;
    const raced = withDeadline(clock, new Promise<never>(() => {}), 500, 'the reply being sent').then(
      () => (settled = 'resolved'),
      (error: Error) => (settled = error.message),
    );
    await clock.advanceAsync(499);
    expect(settled).toBeUndefined();
    await clock.advanceAsync(1);
    await raced;
    expect(settled).toBe('the reply being sent did not finish within 500 ms');
  });

  it('passes the result through and leaves no timer behind', async () => {
    const clock = new ManualClock(0);
    await expect(withDeadline(clock, Promise.resolve(42), 500, 'x')).resolves.toBe(42);
    expect(clock.pending).toBe(0);
  });
});
