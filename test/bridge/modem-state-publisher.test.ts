import { describe, expect, it } from 'vitest';
import { ModemStatePublisher } from '../../src/bridge/modem-state-publisher.js';
import { type ModemView, UNKNOWN_MODEM } from '../../src/bridge/modem-view.js';
import { ManualClock } from '../../src/util/manual-clock.js';

// The retained modem/state a local program reads: every change goes out (the latest one, at most once a second),
// an unchanged view is not published again, and a reconnect repeats the current one unchanged.

function publisherRig(intervalMs = 1_000) {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  let view: ModemView = { ...UNKNOWN_MODEM, status: 'initializing', reason: null };
  const published: Array<ModemView & { updated_at: string }> = [];
  const publisher = new ModemStatePublisher({
    modem: { view: () => view },
    clock,
    intervalMs,
    publish: (payload) => published.push(JSON.parse(payload)),
  });
  return {
    clock,
    publisher,
    published,
    set(change: Partial<ModemView>) {
      view = { ...view, ...change };
    },
  };
}

describe('ModemStatePublisher (modem/state)', () => {
  it('publishes a change at once, then coalesces the changes of one interval into the latest', () => {
    const { clock, publisher, published, set } = publisherRig();
    publisher.changed();
    clock.advance(0);
    expect(published.map((p) => p.status)).toEqual(['initializing']);

    set({ status: 'not_initialized', reason: 'SIM not inserted' });
    publisher.changed();
    clock.advance(300);
    set({ status: 'ready', reason: null });
    publisher.changed();
    clock.advance(699);
    expect(published).toHaveLength(1);
    clock.advance(1);
    expect(published.map((p) => p.status)).toEqual(['initializing', 'ready']);
    expect(published[1]?.updated_at).toBe('2026-01-01T00:00:01.000Z');
  });

  it('does not publish an unchanged view again (the driver reports after every poll), but a reconnect repeats it', () => {
    const { clock, publisher, published } = publisherRig();
    publisher.changed();
    clock.advance(0);
    for (let i = 0; i < 5; i++) {
      clock.advance(1_000);
      publisher.changed();
    }
    clock.advance(1_000);
    expect(published).toHaveLength(1);

    publisher.republish();
    expect(published).toHaveLength(2);
    // The same payload: updated_at still says when the view last changed.
    expect(published[1]).toEqual(published[0]);
  });

  it('publishes nothing after stop()', () => {
    const { clock, publisher, published } = publisherRig();
    publisher.changed();
    publisher.stop();
    clock.advance(5_000);
    expect(published).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});
