import { describe, expect, it } from 'vitest';
import { SweepCadence } from '../../src/modem/sweep-cadence.js';
import { ManualClock } from '../../src/util/manual-clock.js';

const SHORT = 60_000;
const LONG = 600_000;

function cadence(clock = new ManualClock(1_000_000)) {
  return { clock, c: new SweepCadence(clock, { shortMs: SHORT, longMs: LONG, cleanSweepsToRelax: 2 }) };
}

/** The supervisor's side: wait until due, start, and report the outcome right away. */
function sweepWhenDue(clock: ManualClock, c: SweepCadence, unannounced = 0): number {
  clock.advance(c.dueAt - clock.now());
  const at = clock.now();
  c.started();
  c.finished({ periodic: true, unannounced });
  return at;
}

describe('SweepCadence', () => {
  it('after (re-)init: the short interval, then the long one after two clean periodic sweeps', () => {
    const { clock, c } = cadence();
    c.restart();
    const start = clock.now();
    expect(c.dueAt - start).toBe(SHORT);
    expect(sweepWhenDue(clock, c) - start).toBe(SHORT);
    expect(c.relaxed).toBe(false);
    expect(sweepWhenDue(clock, c) - start).toBe(2 * SHORT);
    expect(c.relaxed).toBe(true);
    expect(sweepWhenDue(clock, c) - start).toBe(2 * SHORT + LONG);
    expect(sweepWhenDue(clock, c) - start).toBe(2 * SHORT + 2 * LONG);
  });

  it('an odd event while relaxed: the next sweep within the short interval, and two clean ones before relaxing', () => {
    const { clock, c } = cadence();
    sweepWhenDue(clock, c);
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(true);
    clock.advance(100_000);
    expect(c.irregular()).toBe(true);
    expect(c.relaxed).toBe(false);
    expect(c.dueAt).toBe(clock.now() + SHORT);
    const first = sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(false);
    expect(sweepWhenDue(clock, c) - first).toBe(SHORT);
    expect(c.relaxed).toBe(true);
  });

  it('a sweep that found a message no +CMTI announced keeps the short interval and restarts the count', () => {
    const { clock, c } = cadence();
    sweepWhenDue(clock, c);
    const odd = sweepWhenDue(clock, c, 1);
    expect(c.relaxed).toBe(false);
    expect(c.dueAt - odd).toBe(SHORT);
    c.noticeWorked();
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(false);
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(true);
  });

  it('after an un-notified message, clean sweeps relax only once a notice has been seen to work', () => {
    const { clock, c } = cadence();
    sweepWhenDue(clock, c, 1);
    for (let i = 0; i < 4; i++) sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(false);
    // The clean sweeps meanwhile still count: the first one after a working notice relaxes.
    c.noticeWorked();
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(true);
    // A re-init forgets the doubt with everything else.
    sweepWhenDue(clock, c, 1);
    c.restart();
    sweepWhenDue(clock, c);
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(true);
  });

  it('a consumer retry asks for a sooner sweep than the short interval; a later odd event does not delay it', () => {
    const { clock, c } = cadence();
    c.irregular(30_000);
    expect(c.dueAt).toBe(clock.now() + 30_000);
    clock.advance(10_000);
    expect(c.irregular()).toBe(false);
    expect(c.dueAt).toBe(clock.now() + 20_000);
  });

  it('sweeps not run by the timer (init, request, odd event) never count toward relaxing', () => {
    const { clock, c } = cadence();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      c.finished({ periodic: false, unannounced: 0 });
    }
    expect(c.relaxed).toBe(false);
    expect(c.dueAt).toBe(clock.now() + SHORT);
  });

  it('an odd event during a periodic sweep: that sweep does not count as clean', () => {
    const { clock, c } = cadence();
    sweepWhenDue(clock, c);
    clock.advance(c.dueAt - clock.now());
    c.started();
    c.irregular();
    c.finished({ periodic: true, unannounced: 0 });
    expect(c.relaxed).toBe(false);
  });

  it('a sweep that never reports back (the port went away) still leaves the next one due one interval later', () => {
    const { clock, c } = cadence();
    clock.advance(SHORT);
    c.started();
    expect(c.dueAt).toBe(clock.now() + SHORT);
  });

  it('a modem that accepted no +CNMI setting: nothing announces messages, so it never relaxes', () => {
    const { clock, c } = cadence();
    c.restart(false);
    for (let i = 0; i < 5; i++) sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(false);
    expect(c.dueAt).toBe(clock.now() + SHORT);
  });

  it('a long interval configured below the short one is taken as the short one', () => {
    const clock = new ManualClock(0);
    const c = new SweepCadence(clock, { shortMs: SHORT, longMs: 1000, cleanSweepsToRelax: 1 });
    sweepWhenDue(clock, c);
    expect(c.relaxed).toBe(true);
    expect(c.intervalMs).toBe(SHORT);
  });
});
