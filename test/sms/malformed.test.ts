import { describe, expect, it } from 'vitest';
import { decodePdu, PduError } from '../../src/sms/index.js';

// Building blocks of ModemManager's test_pdu3 ("hellohello", see vectors.test.ts), so each malformed PDU below
// differs from a valid one in the one field it breaks. Octet offsets: SMSC 0-7, first octet 8, TP-OA 9-16, PID 17,
// DCS 18, SCTS 19-25, UDL 26, UD 27-.
const SMSC = '07912143658709F1';
const OA = '0B918100551512F2';
const TS = '11101021436500';
const UD = '0AE8329BFD4697D9EC37';
const deliver = (parts: { first?: string; oa?: string; pid?: string; dcs?: string; ts?: string; ud?: string }) =>
  SMSC +
  (parts.first ?? '04') +
  (parts.oa ?? OA) +
  (parts.pid ?? '00') +
  (parts.dcs ?? '00') +
  (parts.ts ?? TS) +
  (parts.ud ?? UD);

interface Malformed {
  name: string;
  hex: string;
  field: string;
  offset?: number;
  smsc?: boolean;
  tpduLength?: number;
}

const malformed: Malformed[] = [
  { name: 'empty input', hex: '', field: 'pdu', offset: 0 },
  {
    name: 'a non-hex character',
    hex: `${deliver({}).slice(0, 20)}G${deliver({}).slice(21)}`,
    field: 'pdu',
    offset: 10,
  },
  { name: 'an odd number of hex digits', hex: deliver({}).slice(0, -1), field: 'pdu', offset: 35 },
  { name: 'SMSC length beyond 11 octets', hex: `0C${deliver({}).slice(2)}`, field: 'smsc_length', offset: 0 },
  // warthog618/sms smsdecode_test.go "pdumode decode fail": SMSC says 7 octets, 6 follow.
  { name: 'SMSC address cut short (warthog618)', hex: '07911614220991', field: 'smsc', offset: 2 },
  { name: 'reserved message type indicator 3', hex: deliver({ first: '07' }), field: 'first_octet', offset: 8 },
  { name: 'PDU ends after the first octet', hex: `${SMSC}04`, field: 'originator_length', offset: 9 },
  {
    name: 'address length beyond 20 digits',
    hex: deliver({ oa: '15918100551512F2' }),
    field: 'originator_length',
    offset: 9,
  },
  {
    name: 'filler nibble inside the digits',
    hex: deliver({ oa: '0B9181F0551512F2' }),
    field: 'originator',
    offset: 12,
  },
  { name: 'address digits cut short', hex: `${SMSC}040B918100`, field: 'originator', offset: 11 },
  // A timestamp with unreadable digits decodes as null with a warning (lenient-timestamps.test.ts); a short one throws.
  { name: 'timestamp cut short', hex: `${SMSC}04${OA}0000111010`, field: 'timestamp', offset: 19 },
  { name: 'compressed text (TS 23.038 §4 bit 5)', hex: deliver({ dcs: '20' }), field: 'dcs', offset: 18 },
  // ModemManager test_pdu_insufficient_data: UDL 0x0B (11 septets = 10 octets) with 9 octets of data.
  {
    name: 'UDL beyond the data (ModemManager)',
    hex: deliver({ ud: '0BE8329BFD4697D9EC37' }),
    field: 'user_data_length',
    offset: 26,
  },
  // warthog618/sms smsdecode_test.go "decode fail": the same fault in an SMS-SUBMIT without SMSC prefix.
  {
    name: 'UDL beyond the data in a bare SMS-SUBMIT (warthog618)',
    hex: '010005912143f500000bc8329bfd06dddf7236',
    smsc: false,
    field: 'user_data_length',
    offset: 9,
  },
  { name: 'octets after the user data', hex: `${deliver({})}00`, field: 'user_data', offset: 36 },
  {
    name: 'GSM-7 UDL above 160 septets',
    hex: deliver({ ud: `A1${'00'.repeat(141)}` }),
    field: 'user_data_length',
    offset: 26,
  },
  // python-gsmmodem test_decode keeps this PDU ("User data length is invalid in this PDU (too long)"): UCS-2 UDL A0.
  {
    name: 'UCS-2 UDL of 160 octets (python-gsmmodem)',
    hex: '0041010C910661345542F60008A0050003000301306F3044',
    field: 'user_data_length',
    offset: 13,
  },
  {
    name: 'UCS-2 text with an odd octet count',
    hex: deliver({ dcs: '08', ud: '03004100' }),
    field: 'user_data',
    offset: 27,
  },
  { name: 'UDHI set on empty user data', hex: deliver({ first: '44', ud: '00' }), field: 'udh_length', offset: 27 },
  {
    name: 'UDH longer than the user data',
    hex: deliver({ first: '44', dcs: '04', ud: '0405000301' }),
    field: 'udh_length',
    offset: 27,
  },
  {
    name: 'IE running past the header',
    hex: deliver({ first: '44', dcs: '04', ud: '060403040102AA' }),
    field: 'udh',
    offset: 29,
  },
  {
    name: 'IE without a length octet',
    hex: deliver({ first: '44', dcs: '04', ud: '030101AA' }),
    field: 'udh',
    offset: 28,
  },
  {
    name: 'concatenation IE of length 2',
    hex: deliver({ first: '44', dcs: '04', ud: '060400020102AA' }),
    field: 'udh_concat',
    offset: 29,
  },
  {
    name: 'concatenation part 0',
    hex: deliver({ first: '44', dcs: '04', ud: '0705000301020041' }),
    field: 'udh_concat',
    offset: 32,
  },
  {
    name: 'concatenation part 3 of 2',
    hex: deliver({ first: '44', dcs: '04', ud: '0705000301020341' }),
    field: 'udh_concat',
    offset: 32,
  },
  {
    name: 'concatenation total 0',
    hex: deliver({ first: '44', dcs: '04', ud: '0705000301000141' }),
    field: 'udh_concat',
    offset: 31,
  },
  {
    name: 'a broken IE after a good one',
    hex: deliver({ first: '44', dcs: '04', ud: '0B0A00030102010003010205' }),
    field: 'udh_concat',
    offset: 37,
  },
  {
    name: 'port IE of the wrong length',
    hex: deliver({ first: '44', dcs: '04', ud: '050405020B84' }),
    field: 'udh_ports',
    offset: 29,
  },
  {
    name: 'national language shift table',
    hex: deliver({ first: '44', dcs: '04', ud: '050324010141' }),
    field: 'udh',
    offset: 28,
  },
  { name: 'GSM-7 text ending in an escape', hex: deliver({ ud: '011B' }), field: 'text', offset: 27 },
  // SMS-SUBMIT with TP-VPF 01 (enhanced, TS 23.040 §9.2.3.12.3) whose functionality indicator says format 7.
  {
    name: 'reserved enhanced validity format',
    hex: '0009000181F000000700000000000001C1',
    field: 'validity',
    offset: 8,
  },
  {
    name: 'status report with octets TP-PI does not announce',
    hex: '0006D60B911326880736F41110117195514011101171957140000000',
    field: 'parameter_indicator',
    offset: 27,
  },
  { name: 'modem length disagrees with the PDU', hex: deliver({}), tpduLength: 27, field: 'tpdu_length', offset: 8 },
];

describe('decodePdu: malformed PDUs throw PduError naming the field and offset', () => {
  it('has at least 15 distinct cases', () => {
    expect(malformed.length).toBeGreaterThanOrEqual(15);
    expect(new Set(malformed.map((entry) => entry.field)).size).toBeGreaterThanOrEqual(15);
  });

  for (const entry of malformed) {
    it(entry.name, () => {
      let caught: unknown;
      try {
        decodePdu(entry.hex, {
          ...(entry.smsc === false ? { smsc: false } : {}),
          ...(entry.tpduLength !== undefined ? { tpduLength: entry.tpduLength } : {}),
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(PduError);
      const error = caught as PduError;
      expect(error.field).toBe(entry.field);
      if (entry.offset !== undefined) expect(error.offset).toBe(entry.offset);
      expect(error.message).toContain(`${entry.field} at octet ${error.offset}`);
    });
  }

  it('the valid base PDU decodes, so each case above fails for its own reason', () => {
    expect(decodePdu(deliver({})).text).toBe('hellohello');
  });

  it('a repeated concatenation IE is not an error: the last occurrence counts (TS 23.040 §9.2.3.24)', () => {
    const sms = decodePdu(deliver({ first: '44', dcs: '04', ud: '0C0A00030102010003090302AA' }));
    expect(sms.concat).toEqual({ ref: 9, total: 3, seq: 2, ref_bits: 8 });
    expect(sms.data_hex).toBe('AA');
  });

  it('non-string input is a PduError too', () => {
    expect(() => decodePdu(42 as unknown as string)).toThrow(PduError);
  });
});
