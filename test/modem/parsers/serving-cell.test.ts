import { describe, expect, it } from 'vitest';
import type { CellFacts } from '../../../src/modem/parsers/cell.js';
import {
  parseQuectelServingCell,
  parseSimcomCpsi,
  parseTelitRfsts,
  parseTelitServinfo,
  parseUbloxUcged,
} from '../../../src/modem/parsers/serving-cell.js';

/**
 * Vendor serving-cell answers. Where a row says "recorded", the line is as published from a real module in a public
 * project's comments or logs; "reconstructed" rows were written from the vendor's AT manual (the layout it documents),
 * with made-up values.
 */

describe('Quectel AT+QENG="servingcell"', () => {
  const rows: [string, string, CellFacts][] = [
    [
      'EC25 on LTE (recorded)',
      '+QENG: "servingcell","NOCONN","LTE","FDD",214,01,7676A09,188,6300,20,3,3,603,-104,-9,-78,11,23',
      {
        access_technology: 'LTE',
        mcc: '214',
        mnc: '01',
        cell_id: '7676A09',
        earfcn: 6300,
        band: '20',
        tac: '603',
        rsrp_dbm: -104,
        rsrq_db: -9,
        // 11/5 - 20: the EC25 manual's 1/5 dB steps.
        sinr_db: -17.8,
      },
    ],
    [
      'BG96 on LTE-M (reconstructed from the BG96 AT manual)',
      '+QENG: "servingcell","NOCONN","CAT-M","FDD",310,410,A1B2C03,301,5110,12,5,5,8B1E,-98,-11,-70,125,40',
      {
        access_technology: 'LTE-M',
        mcc: '310',
        mnc: '410',
        cell_id: 'A1B2C03',
        earfcn: 5110,
        band: '12',
        tac: '8B1E',
        rsrp_dbm: -98,
        rsrq_db: -11,
        sinr_db: 5,
      },
    ],
    [
      'EC25 on GSM (reconstructed from the EC25 manual)',
      '+QENG: "servingcell","NOCONN","GSM",262,01,1A2B,3C4D,12,60,900,-70,0,-70,5,30,30,1,-,-,-,-,-,-,-,-,-,"-"',
      { access_technology: 'GSM', mcc: '262', mnc: '01', lac: '1A2B', cell_id: '3C4D', band: '900' },
    ],
    ['no service (EC25 manual)', '+QENG: "servingcell","SEARCH"', {}],
  ];
  for (const [name, line, want] of rows) it(name, () => expect(parseQuectelServingCell([line])).toEqual(want));
});

describe('SIMCom AT+CPSI?', () => {
  const rows: [string, string, CellFacts][] = [
    [
      'SIM7600 on LTE, tenths (recorded sample of the SIM7600 manual V1.08)',
      '+CPSI: LTE,Online,404-45,0x21F9,322642,453,EUTRAN-BAND40,39275,4,4,-168,-1126,-773,7',
      {
        access_technology: 'LTE',
        mcc: '404',
        mnc: '45',
        tac: '21F9',
        cell_id: '4EC52',
        band: '40',
        earfcn: 39275,
        rsrq_db: -16.8,
        rsrp_dbm: -112.6,
        // SIM7600: SINR = 2·RSSNR - 20.
        sinr_db: -6,
      },
    ],
    [
      'SIM7000 on LTE-M, whole units (reconstructed from the SIM7000 manual)',
      '+CPSI: LTE CAT-M1,Online,460-00,0x1816,28457217,292,EUTRAN-BAND8,3740,3,3,-13,-99,-66,10',
      {
        access_technology: 'LTE-M',
        mcc: '460',
        mnc: '00',
        tac: '1816',
        cell_id: '1B23901',
        band: '8',
        earfcn: 3740,
        rsrq_db: -13,
        rsrp_dbm: -99,
        sinr_db: 10,
      },
    ],
    [
      'SIM7600 on GSM (reconstructed from the manual)',
      '+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42',
      { access_technology: 'GSM', mcc: '460', mnc: '00', lac: '182D', cell_id: '3071' },
    ],
    ['no service', '+CPSI: NO SERVICE,Online', {}],
  ];
  for (const [name, line, want] of rows) it(name, () => expect(parseSimcomCpsi([line])).toEqual(want));
});

describe('u-blox AT+UCGED? (mode 2)', () => {
  it('SARA-R5 on LTE (recorded sample from u-blox ubxlib comments)', () => {
    const lines = [
      '+UCGED: 2',
      '6,4,001,01',
      '2525,5,50,50,e8fe,1a2d001,1,d60814d1,8001,01,28,31,13.75,3,1,10,28,-50,-6,0,255,255,0',
    ];
    expect(parseUbloxUcged(lines)).toEqual({
      mcc: '001',
      mnc: '01',
      earfcn: 2525,
      band: '5',
      tac: 'E8FE',
      cell_id: '1A2D001',
      rsrp_dbm: -112,
      rsrq_db: -4.5,
      sinr_db: 13.75,
    });
  });
  it('SARA-R510 out of coverage: every field "unknown" (recorded sample, Particle device-os comments)', () => {
    const lines = [
      '+UCGED: 2',
      '6,2,fff,fff',
      '65535,255,255,255,ffff,0000000,65535,00000000,ffff,ff,255,255,255,1,255,255,255,255,255,0,255,255,0',
    ];
    expect(parseUbloxUcged(lines)).toEqual({
      mcc: null,
      mnc: null,
      earfcn: null,
      band: null,
      tac: null,
      cell_id: null,
      rsrp_dbm: null,
      rsrq_db: null,
      sinr_db: null,
    });
  });
  it('an answer without the mode line gives nothing', () => expect(parseUbloxUcged(['6,4,001,01'])).toEqual({}));
});

describe('Telit AT#RFSTS and AT#SERVINFO', () => {
  const rfsts: [string, string, CellFacts][] = [
    [
      'LM960 on LTE (recorded sample from a Telit guide, quoted in public code)',
      '#RFSTS: "311 480",66536,-103,-68,-15,0D00,255,,1280,1,0,033C416,"000000000000000","Verizon",3,66',
      {
        access_technology: 'LTE',
        mcc: '311',
        mnc: '480',
        earfcn: 66536,
        rsrp_dbm: -103,
        rsrq_db: -15,
        tac: '0D00',
        cell_id: '033C416',
        band: '66',
        sinr_db: null,
      },
    ],
    [
      'LE910 on LTE without <TXPWR>, with <SINR> (recorded)',
      '#RFSTS: "286 01",1795,-101,-67,-15,2242,,128,3,1,0B5D121,"286016339612498","Turkcell",3,3,108',
      {
        access_technology: 'LTE',
        mcc: '286',
        mnc: '01',
        earfcn: 1795,
        rsrp_dbm: -101,
        rsrq_db: -15,
        tac: '2242',
        cell_id: '0B5D121',
        band: '3',
        sinr_db: 1.6,
      },
    ],
    [
      'GE910 on GSM (recorded)',
      '#RFSTS: "204 04",1001,-80,00DE,01,5,19,10,2,9878,"204007930002270","vodafone NL",1,2',
      { access_technology: 'GSM', mcc: '204', mnc: '04', lac: '00DE', cell_id: '9878', band: '2' },
    ],
  ];
  for (const [name, line, want] of rfsts) it(name, () => expect(parseTelitRfsts([line])).toEqual(want));
  it('#SERVINFO on LTE (recorded transcript)', () => {
    expect(parseTelitServinfo(['#SERVINFO: 66786,-68,"T-Mobile","310260",3089F02,2D18,640,3,-101'])).toEqual({
      access_technology: 'LTE',
      mcc: '310',
      mnc: '260',
      earfcn: 66786,
      cell_id: '3089F02',
      tac: '2D18',
      rsrp_dbm: -101,
    });
  });
  it('#SERVINFO on GSM (reconstructed from the LE910 guide)', () => {
    expect(parseTelitServinfo(['#SERVINFO: 1001,-80,"vodafone NL","20404",3F,00DE,0,1,,"II",01,6'])).toEqual({
      access_technology: 'GSM',
      mcc: '204',
      mnc: '04',
      lac: '00DE',
    });
  });
});
