import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/util/manual-clock.js';
import { Waitress, WaitressTimeoutError } from '../../src/util/waitress.js';

function make(clock: ManualClock) {
  return new Waitress<string, { prefix: string }>({
    clock,
    validate: (payload, m) => payload.startsWith(m.prefix),
    describeTimeout: (m, ms) => `no reply starting with ${m.prefix} within ${ms} ms`,
  });
}

describe('Waitress', () => {
  it('resolves a waiter registered before the reply even if its timer is not armed yet', async () => {
    const w = make(new ManualClock());
    const waiter = w.waitFor({ prefix: 'OK' }, 100);
    expect(w.resolve('OK')).toBe(true);
    waiter.start();
    await expect(waiter.promise).resolves.toBe('OK');
    expect(w.size).toBe(0);
  });

  it('does not count time before start() against the deadline', async () => {
    const clock = new ManualClock();
    const w = make(clock);
    const waiter = w.waitFor({ prefix: 'OK' }, 100);
    clock.advance(1000); // a slow write
    waiter.start();
    clock.advance(99);
    expect(w.resolve('OK')).toBe(true);
    await expect(waiter.promise).resolves.toBe('OK');
  });

  it('times out with a message built from the matcher', async () => {
    const clock = new ManualClock();
    const w = make(clock);
    const waiter = w.waitFor({ prefix: '+CMGS' }, 50);
    waiter.start();
    clock.advance(50);
    await expect(waiter.promise).rejects.toThrow(new WaitressTimeoutError('no reply starting with +CMGS within 50 ms'));
    expect(w.resolve('+CMGS: 1')).toBe(false);
  });

  it('routes payloads to the oldest matching waiter only', async () => {
    const w = make(new ManualClock());
    const a = w.waitFor({ prefix: 'A' }, 10);
    const b = w.waitFor({ prefix: 'B' }, 10);
    expect(w.resolve('C')).toBe(false);
    expect(w.resolve('B1')).toBe(true);
    await expect(b.promise).resolves.toBe('B1');
    a.cancel(new Error('gone'));
    await expect(a.promise).rejects.toThrow('gone');
    expect(w.size).toBe(0);
  });

  it('rejectAll settles every waiter and clears their timers', async () => {
    const clock = new ManualClock();
    const w = make(clock);
    const a = w.waitFor({ prefix: 'A' }, 10);
    a.start();
    w.rejectAll(new Error('port closed'));
    await expect(a.promise).rejects.toThrow('port closed');
    expect(clock.pending).toBe(0);
  });
});
