import { describe, expect, it } from 'vitest';
import { type HealthInput, judgeHealth } from '../../src/bridge/health.js';
import type { ModemViewStatus } from '../../src/bridge/modem-view.js';

const journalAlarm = { code: 'journal_write_failed', message: 'the journal cannot be written (disk full)' };
const modem = (status: ModemViewStatus, reason: string | null = null) => ({ status, reason });

// One row per situation a user would see: what /healthz and health_check both answer for it.
const table: [string, HealthInput, { healthy: boolean; level: string; problems: (string | RegExp)[] }][] = [
  [
    'broker connected, modem ready, no alarm',
    { brokerConnected: true, modem: modem('ready'), alarms: [] },
    { healthy: true, level: 'ok', problems: [] },
  ],
  [
    'modem degraded (not registered)',
    { brokerConnected: true, modem: modem('degraded', 'not registered (searching)'), alarms: [] },
    { healthy: false, level: 'degraded', problems: ['modem: degraded (not registered (searching))'] },
  ],
  [
    'a journal alarm beside a ready modem',
    { brokerConnected: true, modem: modem('ready'), alarms: [journalAlarm] },
    { healthy: false, level: 'degraded', problems: [/^alarm journal_write_failed: the journal cannot be written/] },
  ],
  [
    'broker away',
    { brokerConnected: false, modem: modem('ready'), alarms: [] },
    { healthy: false, level: 'down', problems: ['mqtt: not connected to the broker'] },
  ],
  [
    'SIM locked (not initialised)',
    { brokerConnected: true, modem: modem('not_initialized', 'SIM locked: it asks for its PIN'), alarms: [] },
    { healthy: false, level: 'down', problems: ['modem: not_initialized (SIM locked: it asks for its PIN)'] },
  ],
  [
    'modem unplugged, degraded journal too',
    { brokerConnected: true, modem: modem('disconnected', 'port closed'), alarms: [journalAlarm] },
    { healthy: false, level: 'down', problems: ['modem: disconnected (port closed)', /^alarm journal_write_failed/] },
  ],
  [
    'no driver yet (daemon start)',
    { brokerConnected: true, modem: null, alarms: [] },
    { healthy: false, level: 'down', problems: ['modem: disconnected (not started)'] },
  ],
  [
    'initialising',
    { brokerConnected: true, modem: modem('initializing'), alarms: [] },
    { healthy: false, level: 'down', problems: ['modem: initializing'] },
  ],
  [
    'broker away and modem degraded: down wins',
    { brokerConnected: false, modem: modem('degraded', 'message storage SM is full'), alarms: [] },
    {
      healthy: false,
      level: 'down',
      problems: ['mqtt: not connected to the broker', 'modem: degraded (message storage SM is full)'],
    },
  ],
];

describe('the one health rule', () => {
  it.each(table)('%s', (_name, input, expected) => {
    const verdict = judgeHealth(input);
    expect(verdict.healthy).toBe(expected.healthy);
    expect(verdict.level).toBe(expected.level);
    expect(verdict.problems).toHaveLength(expected.problems.length);
    for (const [i, problem] of expected.problems.entries()) {
      if (typeof problem === 'string') expect(verdict.problems[i]).toBe(problem);
      else expect(verdict.problems[i]).toMatch(problem);
    }
    // The reason says every problem, in one line; none when healthy.
    expect(verdict.reason).toBe(verdict.problems.length ? verdict.problems.join('; ') : null);
  });
});
