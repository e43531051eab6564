import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodeDeliver,
  encodeStatusReport,
  encodeSubmit,
  measureText,
  SmsEncodeError,
} from '../../src/sms/index.js';

/** The TPDU length must be the octets after the SMSC prefix, what AT+CMGS=<n> wants. */
function checkLength(part: { pdu: string; tpdu_length: number }): void {
  const smscOctets = Number.parseInt(part.pdu.slice(0, 2), 16) + 1;
  expect(part.pdu.length / 2 - smscOctets).toBe(part.tpdu_length);
}

describe('encodeSubmit: published vectors', () => {
  // ModemManager test-sms-part-3gpp.c, test_create_pdu_*_no_smsc: MM's validity is in minutes (5 → TP-VP 00).
  it('MM UCS-2 with relative validity', () => {
    const [part] = encodeSubmit({ to: '+15555551234', text: 'Да здравствует король, детка!', validity: 300 });
    expect(part!.pdu).toBe(
      '0011000B915155551532F40008003A041404300020043704340440043004320441044204320443043504420020043A043E0440043E043B044C002C0020043404350442043A04300021',
    );
    checkLength(part!);
  });

  it('MM GSM-7 with Greek capitals from the default alphabet', () => {
    const [part] = encodeSubmit({
      to: '+15555551234',
      text: 'Hi there...Tue 17th Jan 2012 05:30.18 pm (GMT+1) ΔΔΔΔΔ',
      validity: '5m',
    });
    expect(part!.pdu).toBe(
      '0011000B915155551532F400000036C834888E2ECBCB2E978B5A2F8362373A1AA40CBB4132584C0682D57433982B8603C1DB20D4B1495DC552200804028100',
    );
  });

  it('MM GSM-7, 25 septets (last septet alone in its octet), with and without validity', () => {
    expect(encodeSubmit({ to: '+15556661234', text: 'This is really cool ΔΔΔΔΔ', validity: 300 })[0]!.pdu).toBe(
      '0011000B915155661632F40000001954747A0E4ACF41F27298CDCE83C6EF371B0481402010',
    );
    expect(encodeSubmit({ to: '+15556661234', text: 'This is really cool ΔΔΔΔΔ' })[0]!.pdu).toBe(
      '0001000B915155661632F400001954747A0E4ACF41F27298CDCE83C6EF371B0481402010',
    );
  });

  // python-gsmmodem test_pdu.py, test_encodeSmsSubmit.
  it('PGM Hello World!', () => {
    const [part] = encodeSubmit({ to: '+27820001111', text: 'Hello World!' });
    expect(part).toEqual({ pdu: '0001000B917228001011F100000CC8329BFD065DDF72363904', tpdu_length: 24 });
  });

  it('PGM UCS-2 with a 52-week validity (TP-VP F4)', () => {
    expect(encodeSubmit({ to: '+123456789', text: '世界您好！', validity: '52w' })[0]!.pdu).toBe(
      '001100099121436587F90008F40A4E16754C60A8597DFF01',
    );
  });

  it('PGM concatenated GSM-7 text, reject-duplicates, reference 0 (TP-MR counts up per part)', () => {
    const text =
      'Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.Ut enim ad minim veniam, quinostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat.Duis aute irure dolor in reprehenderit in voluptate velit esse cillum doloe eu fugiat nulla pariatur.Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum';
    const parts = encodeSubmit({ to: '+15125551234', text, rejectDuplicates: true, concatReference: 0 });
    // python-gsmmodem writes TP-MR 00 in every part; we count up (TS 23.040 §9.2.3.6), so compare with the MR
    // octet (after SMSC 00 and first octet 45) blanked out.
    const blankMr = (pdu: string) => `${pdu.slice(0, 4)}..${pdu.slice(6)}`;
    expect(parts.map((part) => blankMr(part.pdu))).toEqual(
      [
        '0045000B915121551532F40000A0050003000301986F79B90D4AC3E7F53688FC66BFE5A0799A0E0AB7CB741668FC76CFCB637A995E9783C2E4343C3D4F8FD3EE33A8CC4ED359A079990C22BF41E5747DDE7E9341F4721BFE9683D2EE719A9C26D7DD74509D0E6287C56F791954A683C86FF65B5E06B5C36777181466A7E3F5B0AB4A0795DDE936284C06B5D3EE741B642FBBD3E1360B14AFA7DD',
        '0045000B915121551532F40000A0050003000302DE73BABC4E0695F165F9384D0FD3D36F37A8CE6687DBE337881D16BFE5E939C89D9EA741753A28CC4EC7EB6938A88C0795C3A0F1BBDD7E93DFA0F1DB3D2FC7EB61BA8B584FCF41E13ABD0C4ACBEBF23288FC66BFE5A0B41B242FC3E56574D94D2ECBD37450DA0DB2BFD975383D4C2F83EC65769A0E2ACFE765D038CD66D7DB20F29BFD2E83CA',
        '0045000B915121551532F400008C050003000303EA2073FD9C0ED341EE3A9B1D06C1C3F274985E97BB8AF871194E2FD7E5A079DA4D07BDC7E370791CA683C675789A1CA687E920F7DB0D82CBDF6972D94D6781E675371D947683C675363C0C8AD7D3A0B7D99C1EA7C32072795E96D7DD7450FBCD66A7E9A0B03BDD06A5C9A0F29C0E6287C56F79BD0D',
      ].map(blankMr),
    );
    expect(parts.map((part) => part.pdu.slice(4, 6))).toEqual(['00', '01', '02']);
  });

  // Nordic nRF Connect SDK, lib/sms unit tests (test_send_*): SRR set, TP-VP FF (63 weeks), AT+CMGS length given.
  // That library writes every number as international (TOA 91), so the inputs carry a '+' here.
  it('Nordic: short text with status report and maximum validity', () => {
    expect(encodeSubmit({ to: '+1234567890', text: 'Moi', statusReport: true, validity: '63w' })).toEqual([
      { pdu: '0031000A9121436587090000FF03CD771A', tpdu_length: 16 },
    ]);
    expect(encodeSubmit({ to: '+12345', text: '123456789', statusReport: true, validity: '63w' })).toEqual([
      { pdu: '00310005912143F50000FF0931D98C56B3DD7039', tpdu_length: 19 },
    ]);
    expect(encodeSubmit({ to: '+123456789', text: '', statusReport: true, validity: '63w' })).toEqual([
      { pdu: '003100099121436587F90000FF00', tpdu_length: 13 },
    ]);
  });

  it('Nordic: every extension-table character', () => {
    const [part] = encodeSubmit({
      to: '+12345',
      text: 'Special characters: ^ { } [ ] \\ ~ |.',
      statusReport: true,
      validity: '63w',
    });
    expect(part).toEqual({
      pdu: '00310005912143F50000FF2C5378799C0EB3416374581E1ED3CBF2B90EB4A1803628D02605DAF0401B1F68F3026D7AA00DD005',
      tpdu_length: 50,
    });
  });

  it('Nordic: an escape sequence that would straddle parts moves whole to the next part', () => {
    const parts = encodeSubmit({
      to: '+12345',
      text: `${'1234567890'.repeat(15)}12€1234567890`,
      statusReport: true,
      messageReference: 5,
      concatReference: 3,
    });
    expect(parts).toEqual([
      {
        pdu: '00610505912143F500009F05000303020162B219AD66BBE172B0986C46ABD96EB81C2C269BD16AB61B2E078BC966B49AED86CBC162B219AD66BBE172B0986C46ABD96EB81C2C269BD16AB61B2E078BC966B49AED86CBC162B219AD66BBE172B0986C46ABD96EB81C2C269BD16AB61B2E078BC966B49AED86CBC162B219AD66BBE172B0986C46ABD96EB81C2C269BD16AB61B2E078BC900',
        tpdu_length: 150,
      },
      { pdu: '00610605912143F500001305000303020236E5986C46ABD96EB81C0C', tpdu_length: 27 },
    ]);
  });

  it('Nordic: 220 digits in two parts, TP-MR counting up', () => {
    const parts = encodeSubmit({
      to: '+123456789012',
      text: '1234567890'.repeat(22),
      statusReport: true,
      messageReference: 1,
      concatReference: 1,
    });
    expect(parts.map((part) => part.tpdu_length)).toEqual([153, 78]);
    expect(parts[1]!.pdu).toBe(
      '0061020C9121436587092100004A0500030102026835DB0D9783C564335ACD76C3E56031D98C56B3DD7039584C36A3D56C375C0E1693CD6835DB0D9783C564335ACD76C3E56031D98C56B3DD703918',
    );
  });
});

describe('encodeSubmit: behaviour', () => {
  it('short code destination 2936 uses TOA 0x81 and decodes back', () => {
    const [part] = encodeSubmit({ to: '2936', text: 'ok' });
    expect(part!.pdu.slice(0, 14)).toBe('00010004819263');
    expect(decodePdu(part!.pdu)).toMatchObject({ type: 'SMS-SUBMIT', destination: '2936', destination_toa: 0x81 });
  });

  it('binary data goes out 8-bit and is split at 134 octets per part', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    const parts = encodeSubmit({ to: '+4915112345678', data, concatReference: 9 });
    expect(parts).toHaveLength(3);
    const decoded = parts.map((part) => decodePdu(part.pdu));
    expect(decoded.map((d) => d.encoding)).toEqual(['8bit', '8bit', '8bit']);
    expect(decoded.map((d) => (d.data_hex?.length ?? 0) / 2)).toEqual([134, 134, 32]);
    expect(decoded.map((d) => d.data_hex).join('')).toBe(Buffer.from(data).toString('hex').toUpperCase());
    expect(decoded[2]!.concat).toEqual({ ref: 9, total: 3, seq: 3, ref_bits: 8 });
  });

  it('140 octets of data fit one part; 160 GSM-7 septets and 70 UCS-2 units too', () => {
    expect(encodeSubmit({ to: '1', data: new Uint8Array(140) })).toHaveLength(1);
    expect(encodeSubmit({ to: '1', data: new Uint8Array(141) })).toHaveLength(2);
    expect(encodeSubmit({ to: '1', text: 'a'.repeat(160) })).toHaveLength(1);
    expect(encodeSubmit({ to: '1', text: 'a'.repeat(161) })).toHaveLength(2);
    expect(encodeSubmit({ to: '1', text: 'ж'.repeat(70) })).toHaveLength(1);
    expect(encodeSubmit({ to: '1', text: 'ж'.repeat(71) })).toHaveLength(2);
  });

  it('never splits a surrogate pair: 66 letters + an emoji puts the emoji in part 2', () => {
    const text = `${'ж'.repeat(66)}😀${'ж'.repeat(10)}`;
    const parts = encodeSubmit({ to: '1', text, concatReference: 1 }).map((part) => decodePdu(part.pdu));
    expect(parts.map((part) => part.text)).toEqual(['ж'.repeat(66), `😀${'ж'.repeat(10)}`]);
  });

  it('application ports go in the UDH (16-bit by default, 8-bit on request)', () => {
    const [wide] = encodeSubmit({ to: '1', data: Uint8Array.of(1, 2), ports: { destination: 2948, source: 9200 } });
    expect(decodePdu(wide!.pdu)).toMatchObject({
      ports: { destination: 2948, source: 9200, bits: 16 },
      data_hex: '0102',
    });
    const [narrow] = encodeSubmit({ to: '1', text: 'hi', ports: { destination: 100, source: 50, bits: 8 } });
    expect(decodePdu(narrow!.pdu)).toMatchObject({ ports: { destination: 100, source: 50, bits: 8 }, text: 'hi' });
  });

  it('validity strings round up to the next TP-VP step', () => {
    const vp = (validity: string | number) => encodeSubmit({ to: '1', text: 'x', validity })[0]!.pdu.slice(16, 18);
    expect(vp('1d')).toBe('A7'); // 167: 12 h + 24 × 30 min
    expect(vp('12h')).toBe('8F'); // 143: 144 × 5 min
    expect(vp('30m')).toBe('05');
    expect(vp(1)).toBe('00'); // 5 minutes is the shortest
    expect(vp('3d')).toBe('A9');
    expect(vp('1w')).toBe('AD'); // 173: 7 days
    expect(vp('5w')).toBe('C5'); // 197
  });

  it('rejects what it cannot encode with SmsEncodeError naming the option', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(SmsEncodeError);
        return (error as SmsEncodeError).field;
      }
      throw new Error('did not throw');
    };
    expect(field(() => encodeSubmit({ to: 'Twilio', text: 'x' }))).toBe('to');
    expect(field(() => encodeSubmit({ to: '1'.repeat(21), text: 'x' }))).toBe('to');
    expect(field(() => encodeSubmit({ to: '1' }))).toBe('text');
    expect(field(() => encodeSubmit({ to: '1', text: 'x', data: new Uint8Array(1) }))).toBe('text');
    expect(field(() => encodeSubmit({ to: '1', text: 'x', validity: 'soon' }))).toBe('validity');
    expect(field(() => encodeSubmit({ to: '1', text: 'x', validity: '64w' }))).toBe('validity');
    expect(field(() => encodeSubmit({ to: '1', text: 'x', messageReference: 256 }))).toBe('messageReference');
    expect(field(() => encodeSubmit({ to: '1', text: 'x'.repeat(161), concatReference: -1 }))).toBe('concatReference');
    expect(field(() => encodeSubmit({ to: '1', text: 'x'.repeat(153 * 256) }))).toBe('text');
    expect(field(() => encodeSubmit({ to: '1', text: 'x', ports: { destination: 70000 } }))).toBe('ports.destination');
  });
});

describe('encodeDeliver', () => {
  it('a Programmable Wireless command from 2936, as a modem prints it in +CMGR', () => {
    const parts = encodeDeliver({ from: '2936', text: 'reboot now', timestamp: '2026-11-27T16:20:05+01:00' });
    expect(parts).toEqual([
      { pdu: '07911326040000F004048192630000621172610250400AF2B2F8FDA683DCEF3B', tpdu_length: 24 },
    ]);
    expect(decodePdu(parts[0]!.pdu, { tpduLength: 24 })).toEqual({
      type: 'SMS-DELIVER',
      smsc: '+31624000000',
      originator: '2936',
      originator_toa: 0x81,
      timestamp: '2026-11-27T16:20:05+01:00',
      pid: 0,
      dcs: 0,
      encoding: 'gsm7',
      class: null,
      message_waiting: null,
      text: 'reboot now',
      data_hex: null,
      concat: null,
      ports: null,
      udh: [],
      more_messages_to_send: false,
      status_report_indication: false,
      reply_path: false,
      warnings: [],
    });
  });

  it('reproduces published SMS-DELIVER PDUs byte for byte', () => {
    // python-gsmmodem test_decode: "Test2" from +27821234567 via SMSC +2782913593, zone +02:00.
    expect(
      encodeDeliver({
        from: '+27821234567',
        smsc: '+2782913593',
        text: 'Test2',
        timestamp: '2013-03-08T15:02:16+02:00',
      })[0]!.pdu,
    ).toBe('06917228195339040B917228214365F700003130805120618005D4F29C2E03');
    // ModemManager test_pdu2: alphanumeric sender, UCS-2 (forced: "тест" is not GSM-7 anyway).
    expect(
      encodeDeliver({
        from: 'InternetSMS',
        smsc: '+79037011111',
        text: 'тест',
        timestamp: '2011-03-29T19:20:04+04:00',
      })[0]!.pdu,
    ).toBe('07919730071111F10414D04937BD2C7797E9D3E614000811309291024061080442043504410442');
    // Android testAddressing: zone -07:00.
    expect(
      encodeDeliver({
        from: '+16505551111',
        smsc: '+14155551212',
        text: 'Test',
        timestamp: '2006-06-06T15:03:03-07:00',
      })[0]!.pdu,
    ).toBe('07914151551512F2040B916105551511F100006060605130308A04D4F29C0E');
    // at-messages-parser +CMT trace: TP-SRI set (first octet 24), zone +00:00.
    expect(
      encodeDeliver({
        from: '+8613903711744',
        smsc: '+8613800688509',
        text: 'test',
        timestamp: '2013-03-05T15:25:34Z',
        statusReportIndication: true,
      })[0]!.pdu,
    ).toBe('0891683108608805F9240D91683109731147F400003130505152430004F4F29C0E');
  });

  it('quarter-hour zones, negative ones included, survive the round trip', () => {
    for (const timestamp of ['2026-01-01T00:00:00+05:45', '2026-07-01T23:59:59-03:30', '2026-02-28T12:00:00-09:45']) {
      const [part] = encodeDeliver({ from: '1', text: 'x', timestamp });
      expect(decodePdu(part!.pdu)).toMatchObject({ timestamp });
    }
    // TS 23.040 §9.2.3.11: +05:45 = 23 quarters → swapped BCD 32; -03:30 = 14 quarters → 41 with the sign bit → 49.
    expect(encodeDeliver({ from: '1', text: 'x', timestamp: '2026-01-01T00:00:00+05:45' })[0]!.pdu).toContain(
      '62101000000032',
    );
    expect(encodeDeliver({ from: '1', text: 'x', timestamp: '2026-07-01T23:59:59-03:30' })[0]!.pdu).toContain(
      '62701032959549',
    );
  });

  it('class, PID, more-messages, reply path, forced encodings and 16-bit references', () => {
    const [flash] = encodeDeliver({
      from: '+1',
      text: 'hi',
      timestamp: '2026-01-01T00:00:00Z',
      messageClass: 0,
      pid: 0x40,
    });
    expect(decodePdu(flash!.pdu)).toMatchObject({ class: 0, dcs: 0x10, pid: 0x40 });
    const [more] = encodeDeliver({
      from: '+1',
      text: 'hi',
      timestamp: '2026-01-01T00:00:00Z',
      moreMessagesToSend: true,
      replyPath: true,
    });
    expect(decodePdu(more!.pdu)).toMatchObject({ more_messages_to_send: true, reply_path: true });
    const [ucs2] = encodeDeliver({ from: '+1', text: 'hi', timestamp: '2026-01-01T00:00:00Z', forceEncoding: 'ucs2' });
    expect(decodePdu(ucs2!.pdu)).toMatchObject({ encoding: 'ucs2', text: 'hi' });
    const [binary] = encodeDeliver({
      from: '+1',
      text: 'hé',
      timestamp: '2026-01-01T00:00:00Z',
      forceEncoding: '8bit',
    });
    expect(decodePdu(binary!.pdu)).toMatchObject({ encoding: '8bit', data_hex: '68C3A9' });
    const long = encodeDeliver({
      from: 'Twilio',
      text: 'y'.repeat(200),
      timestamp: '2026-01-01T00:00:00Z',
      concatReference: 0xbeef,
      concatReferenceBits: 16,
    });
    expect(long.map((part) => decodePdu(part.pdu).concat)).toEqual([
      { ref: 0xbeef, total: 2, seq: 1, ref_bits: 16 },
      { ref: 0xbeef, total: 2, seq: 2, ref_bits: 16 },
    ]);
    expect(decodePdu(long[0]!.pdu).text).toBe('y'.repeat(152));
    expect(() =>
      encodeDeliver({ from: '1', text: '😀', timestamp: '2026-01-01T00:00:00Z', forceEncoding: 'gsm7' }),
    ).toThrow(SmsEncodeError);
  });

  it('an empty smsc writes the 00 prefix', () => {
    const [part] = encodeDeliver({ from: '000', text: 'x', timestamp: '2026-01-01T00:00:00Z', smsc: '' });
    expect(part!.pdu.startsWith('0004038100F0')).toBe(true);
    expect(decodePdu(part!.pdu)).toMatchObject({ smsc: null, originator: '000' });
  });

  it('rejects timestamps it cannot write', () => {
    for (const timestamp of [
      '2026-01-01T00:00:00',
      '2026-02-30T00:00:00Z',
      '1999-01-01T00:00:00Z',
      '2026-01-01T00:00:00+01:10',
    ]) {
      expect(() => encodeDeliver({ from: '1', text: 'x', timestamp })).toThrow(SmsEncodeError);
    }
  });
});

describe('encodeStatusReport', () => {
  it('reproduces the python-gsmmodem status report and reports failures', () => {
    // python-gsmmodem test_decode: MR 214 to +31628870634, SCTS/DT 2011-01-11 17:59:15/17 +01:00, delivered.
    const report = encodeStatusReport({
      recipient: '+31628870634',
      messageReference: 214,
      timestamp: '2011-01-11T17:59:15+01:00',
      dischargeTime: '2011-01-11T17:59:17+01:00',
      status: 0,
      smsc: '',
    });
    expect(report).toEqual({ pdu: '0006D60B911326880736F4111011719551401110117195714000', tpdu_length: 25 });
    const failed = encodeStatusReport({
      recipient: '2936',
      messageReference: 7,
      timestamp: '2026-11-27T16:20:05+01:00',
      dischargeTime: '2026-11-28T16:20:05+01:00',
      status: 0x46, // TS 23.040 §9.2.3.15: 0x46 "SM validity period expired"
    });
    expect(decodePdu(failed.pdu)).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      smsc: '+31624000000',
      recipient: '2936',
      message_reference: 7,
      status: 0x46,
      delivery_status: 'failed',
    });
  });
});

describe('measureText', () => {
  it('counts septets (escapes twice) or UTF-16 units, and parts', () => {
    expect(measureText('')).toEqual({ encoding: 'gsm7', units: 0, parts: 1 });
    expect(measureText('reboot now')).toEqual({ encoding: 'gsm7', units: 10, parts: 1 });
    expect(measureText('€'.repeat(80))).toEqual({ encoding: 'gsm7', units: 160, parts: 1 });
    expect(measureText('€'.repeat(81))).toEqual({ encoding: 'gsm7', units: 162, parts: 2 });
    expect(measureText('a'.repeat(153 * 2))).toEqual({ encoding: 'gsm7', units: 306, parts: 2 });
    expect(measureText('a'.repeat(153 * 2 + 1))).toEqual({ encoding: 'gsm7', units: 307, parts: 3 });
    // 152 + escape pair cannot share a 153-septet part: the € moves on (ModemManager and Nordic do the same).
    expect(measureText(`${'a'.repeat(152)}€${'a'.repeat(10)}`)).toEqual({ encoding: 'gsm7', units: 164, parts: 2 });
    expect(measureText('😀'.repeat(35))).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(measureText('😀'.repeat(36))).toEqual({ encoding: 'ucs2', units: 72, parts: 2 });
    // 67 units per part, but a pair never straddles: 33 emoji (66 units) per part.
    expect(measureText('😀'.repeat(67))).toEqual({ encoding: 'ucs2', units: 134, parts: 3 });
    expect(measureText('ç')).toEqual({ encoding: 'ucs2', units: 1, parts: 1 });
  });

  it('agrees with encodeSubmit on the number of parts', () => {
    for (const text of ['x'.repeat(459), 'ж'.repeat(135), `${'€'.repeat(77)}a`, '😀'.repeat(100)]) {
      expect(measureText(text).parts).toBe(encodeSubmit({ to: '1', text }).length);
    }
  });
});
