import { afterEach, expect, test } from 'vitest';
import { SimulatedModem } from '../../../device/modem/index.js';
import { SimAtClient } from '../../helpers/sim-at-client.js';

let modem: SimulatedModem | undefined;
afterEach(() => modem?.dispose());

test('an injected SMS can be listed and an SMS sent in PDU mode, in process', async () => {
  modem = new SimulatedModem({ profile: 'quectel', bootDelayMs: 1, smsReadyDelayMs: 1 });
  const at = new SimAtClient(modem.connect());
  await modem.whenReady();
  modem.injectSms({ from: '2936', text: 'hello world' });
  expect(await at.command('ATE0')).toBe('ATE0\r\r\nOK\r\n');
  expect(await at.command('AT+CMGL=4')).toMatch(/^\r\n\+CMGL: 1,0,,\d+\r\n07[0-9A-F]+\r\n\r\nOK\r\n$/);
  // TPDU: SUBMIT, MR 0, DA 2936, PID 0, DCS 0, VP, UDL 5 "hello".
  expect(await at.send('AT+CMGS=15', '0031000481392600000005E8329BFD06')).toBe('\r\n+CMGS: 0\r\n\r\nOK\r\n');
  expect(modem.sent()[0]?.text).toBe('hello');
});
