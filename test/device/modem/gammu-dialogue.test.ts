import { readFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { SimulatedModem } from '../../../device/modem/index.js';
import { SimAtClient } from '../../helpers/sim-at-client.js';

/**
 * Replays the dialogue gammu had with the simulator (test/fixtures/sim-gammu-1.42-dialogue.txt) in process, fast,
 * so a change that would break gammu shows up without spawning it: every command must end as it did then.
 */
const fixture = readFileSync(new URL('../../fixtures/sim-gammu-1.42-dialogue.txt', import.meta.url), 'utf8');

interface Step {
  sent: string;
  results: string[];
}

function steps(): Step[] {
  const parsed: Step[] = [];
  for (const line of fixture.split('\n')) {
    if (line.startsWith('> ')) parsed.push({ sent: line.slice(2), results: [] });
    else if (line.startsWith('< ')) parsed.at(-1)?.results.push(line.slice(2));
  }
  return parsed;
}

let modem: SimulatedModem | undefined;
afterEach(() => modem?.dispose());

test("gammu's identify/getallsms/sendsms/deleteallsms dialogue gets the same final results", async () => {
  modem = new SimulatedModem({
    simClock: { now: () => new Date('2026-03-01T12:00:00Z') },
    bootDelayMs: 1,
    smsReadyDelayMs: 1,
  });
  await modem.whenReady();
  modem.injectSms({ from: '2936', text: 'Command: status?' });
  modem.injectSms({ from: '2936', text: 'x'.repeat(200) });
  const at = new SimAtClient(modem.connect());
  const all = steps();
  expect(all.length).toBeGreaterThan(100);
  for (const step of all) {
    const bytes = step.sent.replace('<esc>', '\x1b').replace('<ctrl-z>', '\x1a');
    const from = at.received.length;
    // The PDU after the prompt ends with Ctrl-Z and no CR; command lines end with CR.
    at.write(bytes.endsWith('\x1a') ? bytes : `${bytes}\r`);
    const expected = step.results.at(-1);
    if (expected === undefined) continue;
    const pattern = expected === '>' ? /\r\n> $/ : new RegExp(`\\r\\n${expected.replace(/[+$()?]/g, '\\$&')}\\r\\n`);
    await at.waitFor(pattern, 3000, from);
  }
  expect(modem.sent().map((sms) => [sms.destination, sms.text])).toEqual([['2936', 'ok']]);
  expect(modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(0);
});
