import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultRig } from '../faults/rig.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';

// Invariant 3 (ARCHITECTURE.md): nothing from MQTT reaches the modem as an AT command. Replies go out in PDU mode, so
// CR, LF, Ctrl-Z, ESC and AT text in a body are characters of the SMS. Checked on the wire: the simulator's AT log.

const broker = brokerForThisFile();
let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.create(broker);
  rig.startDaemon('debug');
  await rig.waitModemReady();
});
afterAll(async () => {
  await rig?.close();
});

const HOSTILE = [
  '\r\nAT+CMGD=1,4\r',
  '\x1a',
  '\x1bAT+CFUN=0',
  'ok\rAT+CFUN=0\r\nAT+CMGD=1,4\x1a',
  '\x1b\x1b\x1a\r\n> AT+CPIN="0000"\r',
  'AT&F;+CMGF=1;+CMGS="+15550000000"\r',
];

/**
 * What the driver itself writes besides its start-up vocabulary: a reply is `AT+CMGS=<octets>` then a hex PDU ended by
 * Ctrl-Z; reading (aligned: `AT+CMGR=<n>;+CMEE?`) and deleting stored SMS take one index.
 */
const TRAFFIC_LINE = /^(AT\+CMGS=\d{1,3}|[0-9A-F]+<ctrl-z>|AT\+CMGR=\d+;\+CMEE\?|AT\+CMGD=\d+)$/;

describe('AT injection through MQTT reply payloads', () => {
  it('bodies with CR, LF, Ctrl-Z, ESC and AT text reach the network intact and never run on the modem', {
    timeout: 60_000,
  }, async () => {
    // Every line the driver wrote before any reply arrived: init, polls, sweeps (a re-init repeats these).
    const before = rig.sim.modem.log();
    const vocabulary = new Set(before.filter((e) => e.direction === 'in').map((e) => e.text));
    const mark = before.at(-1)?.seq ?? 0;
    for (const [i, body] of HOSTILE.entries()) {
      // Commands arrive meanwhile: an injected AT+CMGD=1,4 would delete them before the daemon journals them.
      rig.sim.modem.injectSms({ from: '2936', text: `meanwhile ${i}` });
      await rig.reply(body, `inj-${i}`);
    }
    // The same text as a bare (non-JSON) payload: a text reply.
    await rig.publisher.publishAsync(rig.topic('command/send'), 'bare\r\nAT+CFUN=0\r', { qos: 1 });
    await waitFor(
      'every hostile reply sent',
      () => HOSTILE.every((body) => rig.sentTexts().includes(body)) && rig.sentTexts().length >= HOSTILE.length + 1,
      30_000,
    );

    // Arrived as SMS bodies, byte for byte, to the short code.
    for (const body of HOSTILE) expect(rig.sentTexts().filter((t) => t === body)).toHaveLength(1);
    expect(rig.sentTexts().filter((t) => t === 'bare\r\nAT+CFUN=0\r')).toHaveLength(1);
    for (const sms of rig.sim.modem.sent()) expect(sms.destination).toBe('2936');

    // On the wire: only the driver's own commands, and each reply as AT+CMGS=<n> then a hex PDU ended by Ctrl-Z.
    const written = rig.sim.modem.log(mark).filter((entry) => entry.direction === 'in');
    const foreign = written.map((entry) => entry.text).filter((t) => !vocabulary.has(t) && !TRAFFIC_LINE.test(t));
    expect(foreign, 'lines the driver did not write itself').toEqual([]);
    expect(written.filter((e) => e.text.startsWith('AT+CMGS=')).length).toBe(HOSTILE.length + 1);
    expect(written.some((e) => /CFUN|CMGD=1,4|CPIN|CMGF=1/.test(e.text))).toBe(false);
    expect([...vocabulary].some((t) => /CFUN=0|CMGD=1,4/.test(t))).toBe(false);
    // And the modem is as it was: radio on, PDU mode, nothing deleted behind the daemon's back.
    const state = rig.sim.modem.state();
    expect(state.cfun).toBe(1);
    expect(state.settings.cmgf).toBe(0);
    await rig.waitCommands(HOSTILE.map((_, i) => `meanwhile ${i}`));
    expect(rig.modemStates().at(-1)?.status).toBe('ready');
  });
});
