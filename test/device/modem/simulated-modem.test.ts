import { afterEach, describe, expect, test } from 'vitest';
import { InjectError, SimulatedModem } from '../../../device/modem/index.js';
import { decodePdu, encodeDeliver } from '../../../src/sms/index.js';
import { SimAtClient } from '../../helpers/sim-at-client.js';

const modems: SimulatedModem[] = [];
afterEach(() => {
  for (const modem of modems.splice(0)) modem.dispose();
});

async function ready(options: ConstructorParameters<typeof SimulatedModem>[0] = {}) {
  const modem = new SimulatedModem({ bootDelayMs: 1, smsReadyDelayMs: 1, ...options });
  modems.push(modem);
  await modem.whenReady();
  return modem;
}

describe('SimulatedModem in process', () => {
  test('MT text gets the SCTS of the injected clock and the configured SMSC', async () => {
    const modem = await ready({ simClock: { now: () => new Date('2026-07-04T09:08:07Z') }, smsc: '+15550000000' });
    const [part] = modem.injectSms({ from: '+4915112345678', text: 'clocked' });
    expect(decodePdu(part!.pdu)).toMatchObject({
      smsc: '+15550000000',
      originator: '+4915112345678',
      timestamp: '2026-07-04T09:08:07+00:00',
      text: 'clocked',
    });
  });

  test('8-bit data and long UCS-2 text are injected as the codec encodes them', async () => {
    const modem = await ready();
    const [binary] = modem.injectSms({ from: '2936', hex: 'DEADBEEF' });
    expect(decodePdu(binary!.pdu)).toMatchObject({ encoding: '8bit', data_hex: 'DEADBEEF' });
    const parts = modem.injectSms({ from: '2936', text: '日本語'.repeat(30) });
    expect(parts).toHaveLength(2);
    expect(parts.map((part) => decodePdu(part.pdu).concat?.seq)).toEqual([1, 2]);
    expect(modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(3);
  });

  test('a class 2 (SIM-specific) message is stored even when +CNMI routes others directly', async () => {
    const modem = await ready();
    const at = new SimAtClient(modem.connect());
    await at.command('ATE0;+CNMI=2,2,0,0,0');
    const [classTwo] = encodeDeliver({
      from: '2936',
      text: 'sim data',
      timestamp: '2026-01-01T00:00:00+00:00',
      messageClass: 2,
    });
    expect(modem.injectSms({ pdu: classTwo!.pdu })[0]?.delivery).toEqual({ outcome: 'stored', memory: 'SM', index: 1 });
    expect(modem.injectSms({ from: '2936', text: 'plain' })[0]?.delivery).toEqual({ outcome: 'routed' });
  });

  test('bad injections throw InjectError naming the problem', async () => {
    const modem = await ready();
    expect(() => modem.injectSms({ from: '', text: 'x' })).toThrow(InjectError);
    expect(() => modem.injectSms({ from: '2936', hex: 'ABC' })).toThrow(/hex/);
    expect(() => modem.injectSms({ pdu: '07' })).toThrow(InjectError);
    expect(() => modem.injectSms({ from: 'an-alphanumeric-sender-too-long', text: 'x' })).toThrow(InjectError);
  });

  test('events: sent after +CMGS, stored after delivery; a throwing listener does not break the modem', async () => {
    const modem = await ready();
    const at = new SimAtClient(modem.connect());
    modem.on('stored', () => {
      throw new Error('listener bug');
    });
    const stored = modem.injectSms({ from: '2936', text: 'x' });
    expect(stored[0]?.delivery.outcome).toBe('stored');
    const sent = new Promise((resolve) => modem.once('sent', resolve));
    await at.command('ATE0;+CMGF=1');
    await at.send('AT+CMGS="2936"', 'event');
    expect(await sent).toMatchObject({ text: 'event', message_reference: 0 });
    expect(modem.log().some((entry) => entry.text.includes('listener of stored threw'))).toBe(true);
  });

  test('state() summarises the modem; log() has both directions with timestamps', async () => {
    const modem = await ready({ profile: 'quectel', roaming: true });
    const at = new SimAtClient(modem.connect());
    await at.command('AT+CSQ');
    expect(modem.state()).toMatchObject({
      profile: 'quectel',
      power: 'on',
      sms_ready: true,
      sim: 'ready',
      registration: 5,
      operator: 'Twilio',
      settings: { cpms: ['ME', 'ME', 'ME'], cnmi: [2, 1, 0, 0, 0] },
      connections: 1,
    });
    const log = modem.log();
    expect(log.find((entry) => entry.direction === 'in' && entry.text === 'AT+CSQ')).toBeDefined();
    expect(log.find((entry) => entry.direction === 'out' && entry.text === '+CSQ: 20,99')).toBeDefined();
    expect(log.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
  });

  test('stored SMS and the TP-MR counter survive a reboot; settings do not', async () => {
    const modem = await ready();
    const at = new SimAtClient(modem.connect());
    modem.injectSms({ from: '2936', text: 'keep me' });
    await at.command('ATE0;+CMGF=1');
    await at.send('AT+CMGS="2936"', 'one');
    modem.reboot();
    await modem.whenReady();
    expect(modem.storage().find((memory) => memory.memory === 'SM')?.used).toBe(1);
    expect(modem.state().settings.cmgf).toBe(0);
    await at.command('ATE0;+CMGF=1');
    expect(await at.send('AT+CMGS="2936"', 'two')).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
  });
});
