import { describe, expect, it } from 'vitest';
import { encodeAddress, encodeSmsc, readAddress, readSmsc } from '../../src/sms/address.js';
import { parseDcs } from '../../src/sms/dcs.js';
import { decodePdu } from '../../src/sms/decode.js';
import { PduError } from '../../src/sms/errors.js';
import { decodeGsm7, encodeGsm7 } from '../../src/sms/gsm7.js';
import { hexToBytes, OctetReader } from '../../src/sms/reader.js';
import { packSeptets, unpackSeptets } from '../../src/sms/septets.js';
import { readTimestamp } from '../../src/sms/timestamp.js';
import { readValidity, relativeValiditySeconds } from '../../src/sms/validity.js';

const reader = (hex: string) => new OctetReader(hexToBytes(hex));
const hex = (bytes: ArrayLike<number>) => Buffer.from(Array.from(bytes)).toString('hex').toUpperCase();

describe('GSM 7-bit alphabet and septet packing', () => {
  // python-gsmmodem test_pdu.py TestGsm7: text → septet values → packed octets.
  const cases: [string, string][] = [
    ['123', '31D90C'],
    ['12345678', '31D98C56B3DD70'],
    ['123456789', '31D98C56B3DD7039'],
    ['Hello World!', 'C8329BFD065DDF72363904'],
    ['[{abc}]~', '1BDE0615168F37A98D6FD303'],
    ['{åΦΓΛΩΠΨΣΘ€}', '1BD44332A1542C174C6653DEA400'],
    ['a[]{}€', 'E10D6FE3DBA036A94D19'],
  ];
  for (const [text, packed] of cases) {
    it(`packs ${JSON.stringify(text)}`, () => {
      const septets = encodeGsm7(text)!;
      expect(hex(packSeptets(septets))).toBe(packed);
      expect(decodeGsm7(unpackSeptets(hexToBytes(packed), septets.length), 'text', 0)).toBe(text);
    });
  }

  it('maps every default-alphabet septet to one character and back (AOSP GsmSmsTest sBasicTables[0])', () => {
    const table =
      '@\u00a3$\u00a5\u00e8\u00e9\u00f9\u00ec\u00f2\u00c7\n\u00d8\u00f8\r\u00c5\u00e5\u0394_' +
      '\u03a6\u0393\u039b\u03a9\u03a0\u03a8\u03a3\u0398\u039e\u001b\u00c6\u00e6\u00df\u00c9' +
      ' !"#\u00a4%&\'()*+,-./0123456789:;<=>?\u00a1ABCDEFGHIJKLMNOPQRSTUVWXYZ\u00c4\u00d6' +
      '\u00d1\u00dc\u00a7\u00bfabcdefghijklmnopqrstuvwxyz\u00e4\u00f6\u00f1\u00fc\u00e0';
    for (let septet = 0; septet < 128; septet++) {
      if (septet === 0x1b) continue;
      expect(decodeGsm7([septet], 'text', 0)).toBe(table[septet]);
      expect(encodeGsm7(table[septet]!)).toEqual([septet]);
    }
  });

  it('extension table, unknown escapes and ESC ESC (TS 23.038 §6.2.1.1, AOSP testDecodeExtendedFallback)', () => {
    expect(decodeGsm7([0x1b, 0x0a, 0x1b, 0x14, 0x1b, 0x28, 0x1b, 0x29, 0x1b, 0x2f], 't', 0)).toBe('\f^{}\\');
    expect(decodeGsm7([0x1b, 0x3c, 0x1b, 0x3d, 0x1b, 0x3e, 0x1b, 0x40, 0x1b, 0x65], 't', 0)).toBe('[~]|€');
    expect(decodeGsm7([0x1b, 0x41], 't', 0)).toBe('A'); // not in the extension table: the default character
    expect(decodeGsm7([0x1b, 0x1b], 't', 0)).toBe(' ');
    expect(encodeGsm7('ç')).toBeNull(); // only capital Ç is in the alphabet
    expect(encodeGsm7('😀')).toBeNull();
  });

  it('fill bits: text after a 6-octet UDH starts at septet 7', () => {
    const packed = packSeptets(encodeGsm7('hi')!, 7);
    expect(packed.length).toBe(Math.ceil((9 * 7) / 8));
    expect(decodeGsm7(unpackSeptets(packed, 2, 7), 't', 0)).toBe('hi');
  });
});

describe('addresses', () => {
  // python-gsmmodem TestSmsPduAddressFields / TestSmsPduSmscFields.
  const fields: [string, string][] = [
    ['+9876543210', '0A918967452301'],
    ['+987654321', '099189674523F1'],
    ['+27829135934', '0B917228195339F4'],
    ['abc', '06D061F118'],
    ['FRANCOIS', '0ED04669D0397C26A7'],
    ['a[]{}€', '14D0E10D6FE3DBA036A94D19'],
  ];
  for (const [address, encoded] of fields) {
    it(`reads and writes ${address}`, () => {
      expect(readAddress(reader(encoded), 'originator').address).toBe(address);
      expect(hex(encodeAddress(address, 'from', true))).toBe(encoded);
    });
  }

  it('national (TOA A1) keeps the digits as given', () => {
    // python-gsmmodem: ('0129998765', b'0AA11092997856') "local number".
    expect(readAddress(reader('0AA11092997856'), 'originator')).toEqual({ address: '0129998765', toa: 0xa1 });
  });

  it('short codes, odd digit counts, and *#abc digits', () => {
    expect(hex(encodeAddress('2936', 'to'))).toBe('04819263');
    expect(hex(encodeAddress('000', 'to'))).toBe('038100F0');
    expect(hex(encodeAddress('*#123#', 'to'))).toBe('0681BA21B3');
    expect(readAddress(reader('0681BA21B3'), 'originator').address).toBe('*#123#');
    expect(readAddress(reader('0381DCFE'), 'originator').address).toBe('abc');
    expect(readAddress(reader('0091'), 'originator').address).toBe('');
  });

  it('SMSC prefix: octet length, 00 for none (ModemManager address encoder tests)', () => {
    expect(readSmsc(reader('07919130079229F0'))).toEqual({ address: '+19037029920', toa: 0x91 });
    expect(readSmsc(reader('06810973209902'))).toEqual({ address: '9037029920', toa: 0x81 });
    expect(readSmsc(reader('00'))).toBeNull();
  });

  it('SMSC prefix 01 91 (a type octet, no digits) is no SMSC: null, and the TPDU after it decodes as with 00', () => {
    expect(readSmsc(reader('0191'))).toBeNull();
    // The "reboot now" SMS-DELIVER from 2936 of test/cli/pdu.test.ts, its TPDU behind both empty prefixes.
    const tpdu = '04048192630000621172610250400AF2B2F8FDA683DCEF3B';
    const typeOnly = decodePdu(`0191${tpdu}`);
    expect(typeOnly).toMatchObject({ smsc: null, originator: '2936', text: 'reboot now' });
    expect(typeOnly).toEqual(decodePdu(`00${tpdu}`));
    // Written back, "no SMSC" is the 00 prefix AT+CMGS takes.
    expect(hex(encodeSmsc(typeOnly.smsc))).toBe('00');
  });
});

describe('timestamps (TS 23.040 §9.2.3.11)', () => {
  // python-gsmmodem TestTimestamp: zone octets 00, 80 (+2 h), 23 (+8 h), 2B (-8 h).
  const stamps: [string, string][] = [
    ['51117200000000', '2015-11-27T00:00:00+00:00'],
    ['51117200000080', '2015-11-27T00:00:00+02:00'],
    ['70402132522423', '2007-04-12T23:25:42+08:00'],
    ['7040213252242B', '2007-04-12T23:25:42-08:00'],
    ['62117261025032', '2026-11-27T16:20:05+05:45'],
    ['62117261025049', '2026-11-27T16:20:05-03:30'],
    ['42209200000000', '2024-02-29T00:00:00+00:00'],
  ];
  for (const [encoded, iso] of stamps) {
    it(`${encoded} → ${iso}`, () => {
      const warnings: string[] = [];
      expect(readTimestamp(reader(encoded), 'timestamp', warnings)).toBe(iso);
      expect(warnings).toEqual([]);
    });
  }

  it('February 29th only in leap years: otherwise null, with a warning naming the day octet', () => {
    const warnings: string[] = [];
    expect(readTimestamp(reader('32209200000000'), 'timestamp', warnings)).toBeNull();
    expect(warnings).toEqual(['timestamp at octet 2 (0x92): day 29 out of range; timestamp is null']);
  });

  it('reads all seven octets even when it gives up on them, and only a short field throws', () => {
    const bad = reader('62117261025A3200');
    expect(readTimestamp(bad, 'timestamp', [])).toBeNull();
    expect(bad.pos).toBe(7);
    expect(() => readTimestamp(reader('621172610250'), 'timestamp', [])).toThrow(PduError);
  });
});

describe('validity period (TS 23.040 §9.2.3.12)', () => {
  it('relative steps: python-gsmmodem TestRelativeValidityPeriod', () => {
    expect(relativeValiditySeconds(5)).toBe(30 * 60);
    expect(relativeValiditySeconds(151)).toBe(16 * 3600);
    expect(relativeValiditySeconds(169)).toBe(3 * 86400);
    expect(relativeValiditySeconds(197)).toBe(5 * 7 * 86400);
    expect(relativeValiditySeconds(255)).toBe(63 * 7 * 86400);
  });

  it('enhanced formats: relative octet, integer seconds, hh:mm:ss, none', () => {
    expect(readValidity(reader('41A70000000000'), 1, [])).toEqual({
      format: 'enhanced',
      single_shot: true,
      seconds: 86400,
    });
    expect(readValidity(reader('021E0000000000'), 1, [])).toEqual({
      format: 'enhanced',
      single_shot: false,
      seconds: 30,
    });
    expect(readValidity(reader('03102030000000'), 1, [])).toEqual({
      format: 'enhanced',
      single_shot: false,
      seconds: 3600 + 2 * 60 + 3,
    });
    expect(readValidity(reader('00000000000000'), 1, [])).toEqual({
      format: 'enhanced',
      single_shot: false,
      seconds: null,
    });
    expect(readValidity(reader('00'), 0, [])).toBeNull();
  });
});

describe('data coding scheme (TS 23.038 §4)', () => {
  it('general, auto-deletion, message waiting, class groups; reserved → GSM-7', () => {
    expect(parseDcs(0x00, 0)).toMatchObject({ encoding: 'gsm7', class: null, auto_delete: false });
    expect(parseDcs(0x11, 0)).toMatchObject({ encoding: 'gsm7', class: 1 });
    expect(parseDcs(0x16, 0)).toMatchObject({ encoding: '8bit', class: 2 });
    expect(parseDcs(0x18, 0)).toMatchObject({ encoding: 'ucs2', class: 0 });
    expect(parseDcs(0x0c, 0)).toMatchObject({ encoding: 'gsm7' }); // reserved alphabet 11
    expect(parseDcs(0x48, 0)).toMatchObject({ encoding: 'ucs2', auto_delete: true });
    expect(parseDcs(0x85, 0)).toMatchObject({ encoding: 'gsm7', class: null }); // reserved group 1000
    expect(parseDcs(0xd9, 0)).toMatchObject({
      encoding: 'gsm7',
      message_waiting: { type: 'fax', active: true, discard: false },
    });
    expect(parseDcs(0xe2, 0)).toMatchObject({ encoding: 'ucs2', message_waiting: { type: 'email', active: false } });
    expect(parseDcs(0xf0, 0)).toMatchObject({ encoding: 'gsm7', class: 0 });
    expect(parseDcs(0xf7, 0)).toMatchObject({ encoding: '8bit', class: 3 });
    expect(() => parseDcs(0x20, 5)).toThrow(/compressed/);
    expect(() => parseDcs(0x60, 5)).toThrow(/compressed/);
  });
});
