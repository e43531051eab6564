import { describe, expect, it } from 'vitest';
import {
  type CellFacts,
  copsFormat,
  mergeCell,
  parseCesqCell,
  parseCopsNumeric,
  parseRegistrationLocation,
  registrationMode,
  splitPlmn,
} from '../../../src/modem/parsers/cell.js';
import { parseCsca } from '../../../src/modem/parsers/sms-centre.js';

describe('numeric PLMN → MCC/MNC (TS 23.003 §2.2: MCC three digits, MNC two or three)', () => {
  const rows: [string, { mcc: string; mnc: string } | null][] = [
    ['"310260"', { mcc: '310', mnc: '260' }],
    ['"26201"', { mcc: '262', mnc: '01' }],
    ['"262 01"', { mcc: '262', mnc: '01' }], // Telit #RFSTS
    ['460-00', { mcc: '460', mnc: '00' }], // SIMCom +CPSI
    ['"Twilio"', null],
    ['"3102"', null],
  ];
  for (const [text, want] of rows) it(text, () => expect(splitPlmn(text)).toEqual(want));
});

describe('+COPS? in numeric format (AT+COPS=3,2)', () => {
  const rows: [string, CellFacts][] = [
    ['+COPS: 0,2,"310260",7', { mcc: '310', mnc: '260', access_technology: 'LTE' }],
    ['+COPS: 0,2,"23410",9', { mcc: '234', mnc: '10', access_technology: 'NB-IoT' }],
    // A name says nothing of MCC/MNC.
    ['+COPS: 0,0,"Twilio",7', { access_technology: 'LTE' }],
    ['+COPS: 0', {}],
  ];
  for (const [line, want] of rows) it(line, () => expect(parseCopsNumeric([line])).toEqual(want));
  it('reads the format it is in, to put it back', () => {
    expect(copsFormat(['+COPS: 0,0,"Twilio",7'])).toBe(0);
    expect(copsFormat(['+COPS: 0'])).toBeUndefined();
  });
});

describe('+CREG?/+CEREG? with n=2 (TS 27.007 §7.2, §10.1.22)', () => {
  const rows: [string, string, CellFacts][] = [
    ['+CEREG:', '+CEREG: 2,1,"1A2B","01C3D4E5",7', { tac: '1A2B', cell_id: '01C3D4E5', access_technology: 'LTE' }],
    ['+CREG:', '+CREG: 2,5,"00de","9878",0', { lac: '00DE', cell_id: '9878', access_technology: 'GSM' }],
    ['+CREG:', '+CREG: 2,1,"1A2B","01C3D4E5"', { lac: '1A2B', cell_id: '01C3D4E5' }],
    // n=1 or 0: no location fields; not registered: nothing to read.
    ['+CEREG:', '+CEREG: 1,1', {}],
    ['+CREG:', '+CREG: 2,2', {}],
    // u-blox prints FFFF for "not known".
    ['+CEREG:', '+CEREG: 2,4,"FFFF","FFFFFFFF",7', { tac: null, cell_id: null, access_technology: 'LTE' }],
  ];
  for (const [prefix, line, want] of rows)
    it(line, () => expect(parseRegistrationLocation([line], prefix)).toEqual(want));
  it('reads <n>, to put it back', () => {
    expect(registrationMode(['+CREG: 1,1'], '+CREG:')).toBe(1);
    expect(registrationMode(['+CEREG: 0,1'], '+CEREG:')).toBe(0);
  });
});

describe('+CESQ → RSRP/RSRQ (TS 27.007 §8.69)', () => {
  const rows: [string, CellFacts][] = [
    ['+CESQ: 99,99,255,255,20,50', { rsrp_dbm: -90, rsrq_db: -10 }],
    ['+CESQ: 99,99,255,255,34,97', { rsrp_dbm: -43, rsrq_db: -3 }],
    ['+CESQ: 99,99,255,255,0,0', { rsrp_dbm: -140, rsrq_db: -20 }],
    // GSM cell: RSRP/RSRQ "not known".
    ['+CESQ: 40,0,255,255,255,255', { rsrp_dbm: null, rsrq_db: null }],
  ];
  for (const [line, want] of rows) it(line, () => expect(parseCesqCell([line])).toEqual(want));
  it('no +CESQ line: no facts', () => expect(parseCesqCell(['ERROR'])).toEqual({}));
});

describe('+CSCA (TS 27.005 §3.3.1)', () => {
  it('the address, empty when none is set, undefined without an answer', () => {
    expect(parseCsca(['+CSCA: "+12063130004",145'])).toBe('+12063130004');
    expect(parseCsca(['+CSCA: "",129'])).toBe('');
    expect(parseCsca([])).toBeUndefined();
  });
});

describe('mergeCell', () => {
  it('takes each field from the first source that knows it', () => {
    const cell = mergeCell({ mcc: '310', rsrp_dbm: null }, { mcc: '999', mnc: '260', rsrp_dbm: -90 });
    expect(cell).toMatchObject({ mcc: '310', mnc: '260', rsrp_dbm: -90, band: null, sinr_db: null });
  });
});
