import { describe, expect, it } from 'vitest';
import { AtError } from '../../src/at/errors.js';
import { classifyCms, toSendError } from '../../src/modem/send-error.js';

describe('+CMS ERROR classification for sends', () => {
  const table: [number, 'transient' | 'permanent'][] = [
    [500, 'transient'],
    [512, 'transient'],
    [513, 'transient'],
    [331, 'transient'],
    [332, 'transient'],
    [314, 'transient'],
    [42, 'transient'],
    [304, 'permanent'],
    [305, 'permanent'],
    [330, 'permanent'],
    [1, 'permanent'],
    [21, 'permanent'],
  ];
  for (const [code, want] of table) it(`${code} is ${want}`, () => expect(classifyCms(code)).toBe(want));

  it('a prompt timeout never sent anything; a result timeout may have', () => {
    const prompt = toSendError(new AtError('timeout', 'AT+CMGS=20: no "> " prompt within 10000 ms'), 0, []);
    expect(prompt).toMatchObject({ classification: 'transient', maybe_sent: false });
    const result = toSendError(new AtError('timeout', 'AT+CMGS=20: no final result within 120000 ms'), 1, [5]);
    expect(result).toMatchObject({ classification: 'transient', maybe_sent: true, part: 1, message_references: [5] });
    const cms = toSendError(new AtError('cms', 'x', { code: 304 }), 0, []);
    expect(cms).toMatchObject({ classification: 'permanent', code: 304, transient: false });
  });

  it('a reboot before the PDU was written is a plain retry; after it, the outcome is unknown', () => {
    const before = toSendError(new AtError('interrupted', 'AT+CMGS=20: modem rebooted'), 0, []);
    expect(before).toMatchObject({ classification: 'transient', maybe_sent: false });
    const after = toSendError(new AtError('interrupted', 'AT+CMGS=20: modem rebooted', { afterInput: true }), 0, []);
    expect(after).toMatchObject({ classification: 'transient', maybe_sent: true });
  });
});

describe('validateParts', () => {
  it('accepts codec output and rejects anything that is not a hex PDU before sending a single part', async () => {
    const { validateParts } = await import('../../src/modem/send.js');
    const { encodeSubmit } = await import('../../src/sms/index.js');
    expect(() => validateParts(encodeSubmit({ to: '2936', text: 'ok' }))).not.toThrow();
    const good = encodeSubmit({ to: '2936', text: 'ok' })[0]!;
    for (const bad of [
      { pdu: 'AT+CFUN=0', tpdu_length: 4 },
      { pdu: '00\r\nAT', tpdu_length: 1 },
      { pdu: 'ABC', tpdu_length: 1 },
      { pdu: good.pdu, tpdu_length: 0 },
      { pdu: good.pdu, tpdu_length: 500 },
      { pdu: '0011', tpdu_length: 2 },
    ]) {
      expect(() => validateParts([good, bad])).toThrow(
        expect.objectContaining({ classification: 'permanent', part: 1 }),
      );
    }
  });
});

describe('Modem.send while the modem is not usable', () => {
  it('fails transiently without touching the port', async () => {
    const { Modem } = await import('../../src/modem/modem.js');
    const { ManualClock } = await import('../../src/util/manual-clock.js');
    const { silentLogger } = await import('../../src/util/logger.js');
    const { encodeSubmit } = await import('../../src/sms/index.js');
    let opened = 0;
    const modem = new Modem({
      transportFactory: () => {
        opened++;
        throw new Error('not expected');
      },
      clock: new ManualClock(),
      logger: silentLogger(),
      consumer: { accept: async () => {} },
    });
    await expect(modem.send(encodeSubmit({ to: '2936', text: 'x' }))).rejects.toMatchObject({
      classification: 'transient',
      maybe_sent: false,
      message: expect.stringContaining('disconnected'),
    });
    expect(opened).toBe(0);
  });
});
