import { describe, expect, it } from 'vitest';
import { LineAnnotator } from '../../src/console/annotate.js';
import { explainAnswer } from '../../src/console/explain-answers.js';
import { carriesSecret } from '../../src/console/secrets.js';

describe('explainAnswer: the answers a technician reads when a gateway is off the air', () => {
  it.each([
    ['+CSQ: 20,99', false, 'signal -73 dBm (RSSI), excellent (3GPP TS 27.007 §8.5)'],
    [
      '+CSQ: 5,99',
      false,
      'signal -103 dBm (RSSI), poor; SMS may fail: check the antenna and its cable (3GPP TS 27.007 §8.5)',
    ],
    [
      '+CSQ: 99,99',
      false,
      'signal not known or not detectable: no network in reach, no antenna, or the radio is off (AT+CFUN?)',
    ],
    ['+CESQ: 99,99,255,255,20,45', false, 'signal -95 dBm (best of RSRP/RSCP/RXLEV), fair (3GPP TS 27.007 §8.5)'],
    ['+CREG: 0,1', false, 'registered on the home network'],
    ['+CREG: 0,5', false, 'registered, roaming (an IoT SIM usually is)'],
    ['+CREG: 2,2', false, 'not registered, searching for a network'],
    [
      '+CEREG: 2,5,"1A2B","01234567",7',
      false,
      'registered, roaming (an IoT SIM usually is); area 1A2B, cell 01234567; LTE',
    ],
    // The unsolicited form has no <n> in front (+CREG=1/2).
    [
      '+CREG: 3',
      true,
      'registration denied by the network (SIM not provisioned or barred: check the SIM status in the cloud)',
    ],
    ['+CGREG: 1,"00C3","0000A1B2",9', true, 'registered on the home network; area 00C3, cell 0000A1B2; NB-IoT'],
    ['+COPS: 0,0,"KORE",7', false, 'operator KORE on LTE; automatic selection'],
    ['+COPS: 0', false, 'no operator: not registered; automatic selection'],
    ['+COPS: 2', false, 'no operator: not registered; deregistered from the network (AT+COPS=0 to register)'],
    ['+CPIN: READY', false, 'SIM ready: no PIN needed'],
    [
      '+CPIN: SIM PUK',
      false,
      'the SIM is blocked after three wrong PINs: it needs the PUK from the SIM card holder (never guess)',
    ],
  ])('%s', (line, unsolicited, note) => {
    expect(explainAnswer(line, unsolicited)).toBe(note);
  });

  it('leaves other lines and the operator list (AT+COPS=?) alone', () => {
    expect(explainAnswer('+CMGS: 12', false)).toBeNull();
    expect(explainAnswer('Quectel', false)).toBeNull();
    expect(explainAnswer('+COPS: (2,"KORE","KORE","31099",7),,(0-4),(0-2)', false)).toBeNull();
    expect(explainAnswer('+CREG: 0,x', false)).toBeNull();
  });

  it('is what the console shows under the answer to the command in flight and under a URC', () => {
    const annotator = new LineAnnotator();
    expect(annotator.annotate('+CREG: 0,1', 'AT+CREG?')).toEqual({
      kind: 'response',
      text: '+CREG: 0,1',
      note: 'registered on the home network',
    });
    expect(annotator.annotate('+CREG: 2', null).note).toBe('not registered, searching for a network');
  });
});

describe('carriesSecret: lines kept out of the history file', () => {
  it.each([
    'AT+CPIN="1234"',
    'at+cpin=1234',
    'AT+CPIN="12345678","1234"',
    'AT+CPIN2="0000"',
    'AT+CLCK="SC",0,"1234"',
    'AT+CPWD="SC","1234","5678"',
    '  AT+CPIN = "1234"',
  ])('%s carries a secret', (line) => {
    expect(carriesSecret(line)).toBe(true);
  });

  it.each(['AT+CPIN?', 'AT+CPINR', 'AT+CPINR="SIM PIN"', 'AT+CLCK=?', 'AT+CSQ', 'AT+CMGS=23'])(
    '%s does not',
    (line) => {
      expect(carriesSecret(line)).toBe(false);
    },
  );
});
