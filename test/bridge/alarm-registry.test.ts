import { describe, expect, it } from 'vitest';
import { AlarmRegistry } from '../../src/bridge/alarms.js';
import { silentLogger } from '../../src/util/logger.js';

describe('AlarmRegistry (alarms keyed by source)', () => {
  it('keeps a code raised while any source raises it, with the latest message, and says when the list changed', () => {
    let changes = 0;
    const alarms = new AlarmRegistry(silentLogger(), () => changes++);
    alarms.set('reply_sender', 'journal_write_failed', 'replies wait');
    alarms.set('inbound_intake', 'journal_write_failed', 'SMS stay on the SIM');
    expect(alarms.list()).toEqual([{ code: 'journal_write_failed', message: 'SMS stay on the SIM' }]);
    expect(changes).toBe(2);

    // The inbound side recovers: the sender's trouble still stands, under its own message.
    alarms.set('inbound_intake', 'journal_write_failed', null);
    expect(alarms.list()).toEqual([{ code: 'journal_write_failed', message: 'replies wait' }]);
    // Clearing what a source never raised changes nothing.
    alarms.set('reply_intake', 'journal_write_failed', null);
    expect(changes).toBe(3);

    alarms.set('reply_sender', 'journal_write_failed', null);
    expect(alarms.list()).toEqual([]);
    expect(alarms.size).toBe(0);
    expect(changes).toBe(4);
  });
});
