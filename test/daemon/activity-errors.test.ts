import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/status-format.js';
import { DaemonActivity } from '../../src/daemon/status-action.js';

describe('the last errors of `m2m-bridge status`', () => {
  it('counts the same error in a row instead of listing it again, and keeps different ones apart', () => {
    let now = Date.parse('2026-12-07T10:00:00Z');
    const activity = new DaemonActivity(() => now);
    activity.modemState('not_initialized', 'no SIM: the modem says it is not inserted');
    for (let i = 0; i < 20; i++) {
      now += 1000;
      activity.error('mqtt', 'disconnected: connection closed');
    }
    expect(activity.lastErrors).toEqual([
      { at: '2026-12-07T10:00:20.000Z', source: 'mqtt', message: 'disconnected: connection closed', count: 20 },
      {
        at: '2026-12-07T10:00:00.000Z',
        source: 'modem',
        message: 'not_initialized: no SIM: the modem says it is not inserted',
        count: 1,
      },
    ]);
    const text = formatStatus({ last_errors: activity.lastErrors });
    expect(text).toContain('mqtt: disconnected: connection closed (20 times in a row)');
    expect(text).not.toContain('inserted (1 times');
  });

  it('shows a blocked SIM with its cause and the network as unknown with the last reading and its time', () => {
    const text = formatStatus({
      modem: {
        status: 'not_initialized',
        cause: 'sim_missing',
        reason: 'no SIM: the modem says it is not inserted',
        registration: null,
        operator: null,
        access_technology: null,
        signal: { rssi_dbm: null, quality: null },
        last_known: {
          registration: 'home',
          operator: 'T-Mobile',
          access_technology: 'lte',
          signal: { rssi_dbm: -73, quality: 'excellent' },
          as_of: '2026-12-07T10:00:00.000Z',
        },
      },
    });
    expect(text).toMatch(/^modem +not_initialized sim_missing \(no SIM: the modem says it is not inserted\)$/m);
    expect(text).toMatch(
      /^network +unknown now; last known home, T-Mobile lte, signal -73 dBm \(excellent\) as of 2026-12-07T10:00:00.000Z$/m,
    );
  });
});
