import { describe, expect, it } from 'vitest';
import {
  parseCesq,
  parseCops,
  parseCsq,
  parseRegistrationQuery,
  parseRegistrationUrc,
  parseSignalUrc,
} from '../../../src/modem/parsers/network.js';
import { quectel, simcom } from '../../../src/modem/quirks/index.js';
import { RegistrationByDomain } from '../../../src/modem/registration.js';

describe('registration', () => {
  const q: [string, string | undefined][] = [
    ['+CREG: 0,1', 'home'],
    ['+CREG: 2,5,"1A2B","01C3D4E5",7', 'roaming'],
    ['+CREG: 0,2', 'searching'],
    ['+CREG: 0,3', 'denied'],
    ['+CREG: 0,0', 'not-registered'],
    ['+CREG: 0,6', 'home'],
    ['+CREG: 0,42', 'unknown'],
  ];
  for (const [line, want] of q) it(`query ${line}`, () => expect(parseRegistrationQuery([line])).toBe(want));
  it('unsolicited forms', () => {
    expect(parseRegistrationUrc('+CREG: 1')).toBe('home');
    expect(parseRegistrationUrc('+CEREG: 5,"1A2B","01C3D4E5",7')).toBe('roaming');
    expect(parseRegistrationUrc('+CGREG: 2')).toBe('searching');
    expect(parseRegistrationQuery(['+CEREG: 0,1'], '+CEREG:')).toBe('home');
  });
});

describe('operator', () => {
  it('+COPS with name and access technology', () => {
    expect(parseCops(['+COPS: 0,0,"Vodafone",7'])).toEqual({ name: 'Vodafone', accessTechnology: 'LTE' });
    expect(parseCops(['+COPS: 0,0,"Twilio",9'])).toEqual({ name: 'Twilio', accessTechnology: 'NB-IoT' });
    expect(parseCops(['+COPS: 0'])).toEqual({ name: undefined, accessTechnology: undefined });
  });
});

describe('signal → dBm and quality', () => {
  const csq: [string, number | null, string][] = [
    ['+CSQ: 0,99', -113, 'poor'],
    ['+CSQ: 10,99', -93, 'fair'],
    ['+CSQ: 15,0', -83, 'good'],
    ['+CSQ: 20,99', -73, 'excellent'],
    ['+CSQ: 31,99', -51, 'excellent'],
    ['+CSQ: 99,99', null, 'none'],
  ];
  for (const [line, dbm, quality] of csq) {
    it(line, () => expect(parseCsq([line])).toEqual({ rssi_dbm: dbm, quality }));
  }
  it('+CESQ uses RSRP on LTE, RSCP on UMTS, RXLEV on GSM', () => {
    expect(parseCesq(['+CESQ: 99,99,255,255,20,50'])).toEqual({ rssi_dbm: -90, quality: 'good' });
    expect(parseCesq(['+CESQ: 99,99,40,30,255,255'])).toEqual({ rssi_dbm: -80, quality: 'good' });
    expect(parseCesq(['+CESQ: 30,0,255,255,255,255'])).toEqual({ rssi_dbm: -80, quality: 'good' });
    expect(parseCesq(['+CESQ: 99,99,255,255,255,255'])).toEqual({ rssi_dbm: null, quality: 'none' });
  });
});

describe('vendor signal URCs', () => {
  it('Quectel +QIND: "csq" and SIMCom +CSQN carry +CSQ\'s <rssi>,<ber>', () => {
    expect(quectel.signalUrc?.parse('+QIND: "csq",27,99')).toEqual({ rssi_dbm: -59, quality: 'excellent' });
    expect(quectel.signalUrc?.parse('+QIND: "csq",99,99')).toEqual({ rssi_dbm: null, quality: 'none' });
    expect(simcom.signalUrc?.parse('+CSQN: 10,0')).toEqual({ rssi_dbm: -93, quality: 'fair' });
    expect(quectel.signalUrc?.match.test('+QIND: "smsfull","ME"')).toBe(false);
    expect(quectel.signalUrc?.parse('+QIND: "csq",')).toBeUndefined();
    expect(parseSignalUrc('+CSQ: 20,99', /^\+CSQN:\s*/)).toBeUndefined();
  });
});

describe('registration from URCs of several domains', () => {
  it('registered when the CS or the EPS domain is (an LTE-only modem says +CREG: 0 and +CEREG: 1)', () => {
    const r = new RegistrationByDomain();
    expect(r.update('creg', 'not-registered')).toBe('not-registered');
    expect(r.update('cereg', 'home')).toBe('home');
    expect(r.update('cgreg', 'not-registered')).toBe('home');
    expect(r.update('cereg', 'searching')).toBe('not-registered');
    expect(r.update('creg', 'roaming')).toBe('roaming');
    r.reset();
    expect(r.current()).toBeUndefined();
  });
});
