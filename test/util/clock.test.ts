import { describe, expect, it } from 'vitest';
import { every, sleep, systemClock } from '../../src/util/clock.js';
import { ManualClock } from '../../src/util/manual-clock.js';

describe('ManualClock', () => {
  it('fires timers in due order, including ones scheduled by earlier timers', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      fired.push(`a@${clock.now()}`);
      clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    clock.advance(30);
    expect(fired).toEqual(['a@1010', 'c@1015', 'b@1020']);
    expect(clock.now()).toBe(1030);
  });

  it('lets code awaiting sleep() continue with advanceAsync', async () => {
    const clock = new ManualClock();
    const steps: number[] = [];
    const run = (async () => {
      await sleep(clock, 100);
      steps.push(clock.now());
      await sleep(clock, 100);
      steps.push(clock.now());
    })();
    await clock.advanceAsync(250);
    await run;
    expect(steps).toEqual([100, 200]);
  });

  it('sleep rejects with the abort reason', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const p = sleep(clock, 100, ac.signal);
    ac.abort(new Error('stopping'));
    await expect(p).rejects.toThrow('stopping');
    expect(clock.pending).toBe(0);
  });

  it('systemClock sleeps for real', async () => {
    const start = systemClock.now();
    await sleep(systemClock, 5);
    expect(systemClock.now() - start).toBeGreaterThanOrEqual(4);
  });
});

describe('every', () => {
  it('calls back once per interval on its clock, keeps going when a callback throws, and stops for good', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    const stop = every(clock, 1_000, () => {
      at.push(clock.now());
      if (at.length === 2) throw new Error('a failing pass');
    });
    clock.advance(999);
    expect(at).toEqual([]);
    expect(() => clock.advance(1_001)).toThrow('a failing pass');
    clock.advance(1_000);
    expect(at).toEqual([1_000, 2_000, 3_000]);
    stop();
    clock.advance(10_000);
    expect(at).toEqual([1_000, 2_000, 3_000]);
    expect(clock.pending).toBe(0);
  });
});
