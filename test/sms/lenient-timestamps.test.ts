import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  type DecodedSms,
  decodePdu,
  encodeDeliver,
  encodeStatusReport,
  hexToBytes,
} from '../../src/sms/index.js';

// Networks send timestamps with digits above 9 or impossible dates; the rest of such a PDU is sound and must decode.
// ModemManager test_pdu3 ("hellohello"): SMSC 0-7, first octet 8, TP-OA 9-16, PID 17, DCS 18, SCTS 19-25, UDL 26.
const deliver = (scts: string) => `07912143658709F1040B918100551512F20000${scts}0AE8329BFD4697D9EC37`;
// python-gsmmodem's status report: SMSC 0, first octet 1, TP-MR 2, TP-RA 3-10, TP-SCTS 11-17, TP-DT 18-24, TP-ST 25.
const SCTS = '11101171955140';
const DT = '11101171957140';
const report = (scts: string, dt: string, st = '00', tail = '') => `0006D60B911326880736F4${scts}${dt}${st}${tail}`;

describe('SMS-DELIVER whose TP-SCTS cannot be read', () => {
  const cases: [string, string, string][] = [
    ['a digit above 9 in the year', '1A101021436500', 'timestamp at octet 19 (0x1A): bad BCD digit in the year'],
    ['month 13', '11311021436500', 'timestamp at octet 20 (0x31): month 13 out of range'],
    ['February 30th', '11200321436500', 'timestamp at octet 21 (0x03): day 30 out of range'],
    ['hour 24', '11101042436500', 'timestamp at octet 22 (0x42): hour 24 out of range'],
    ['minute 60', '11101021066500', 'timestamp at octet 23 (0x06): minute 60 out of range'],
    ['a digit above 9 in the second', '1110102143C500', 'timestamp at octet 24 (0xC5): bad BCD digit in the second'],
    ['a time-zone octet with a nibble above 9', '111010214365A0', 'timestamp at octet 25 (0xA0): bad BCD digit'],
  ];

  for (const [name, scts, warning] of cases) {
    it(`${name}: timestamp null, a warning naming the octet, the text and sender still there`, () => {
      const decoded = decodePdu(deliver(scts));
      expect(decoded).toMatchObject({
        type: 'SMS-DELIVER',
        smsc: '+12345678901',
        originator: '+18005551212',
        timestamp: null,
        text: 'hellohello',
      });
      expect(decoded.warnings).toHaveLength(1);
      expect(decoded.warnings[0]).toContain(warning);
      expect(decoded.warnings[0]).toMatch(/; timestamp is null$/);
    });
  }

  it('a sound timestamp gives no warning', () => {
    expect(decodePdu(deliver('11101021436500'))).toMatchObject({
      timestamp: '2011-01-01T12:34:56+00:00',
      warnings: [],
    });
  });
});

describe('SMS-STATUS-REPORT whose TP-SCTS or TP-DT cannot be read', () => {
  it('a bad time-zone nibble in TP-DT: discharge_time null, the status and reference decoded', () => {
    const decoded = decodePdu(report(SCTS, '111011719571A1'));
    expect(decoded).toMatchObject({
      type: 'SMS-STATUS-REPORT',
      message_reference: 0xd6,
      recipient: '+31628870634',
      timestamp: '2011-01-11T17:59:15+01:00',
      discharge_time: null,
      status: 0,
      delivery_status: 'delivered',
      warnings: ['discharge_time at octet 24 (0xA1): bad BCD digit in the time zone; discharge_time is null'],
    });
  });

  it('month 13 in TP-SCTS: timestamp null, discharge_time still read', () => {
    const decoded = decodePdu(report('11311171955140', DT, '46'));
    expect(decoded).toMatchObject({
      timestamp: null,
      discharge_time: '2011-01-11T17:59:17+01:00',
      status: 0x46,
      delivery_status: 'failed',
      warnings: ['timestamp at octet 12 (0x31): month 13 out of range; timestamp is null'],
    });
  });

  it('both times unreadable: two warnings, TP-ST and the optional parameters after them still decoded', () => {
    // TP-PI 04 (user data follows), UDL 2 septets "hi".
    const decoded = decodePdu(report('FF101171955140', '1110117195AA40', '20', '0402E834'));
    expect(decoded).toMatchObject({
      timestamp: null,
      discharge_time: null,
      status: 0x20,
      delivery_status: 'pending',
      text: 'hi',
    });
    expect(decoded.warnings).toEqual([
      'timestamp at octet 11 (0xFF): bad BCD digit in the year; timestamp is null',
      'discharge_time at octet 23 (0xAA): bad BCD digit in the second; discharge_time is null',
    ]);
  });

  it('structural damage still rejects: a report cut inside TP-DT', () => {
    expect(() => decodePdu(report(SCTS, '111011'))).toThrow(/discharge_time at octet 18: needs 7 octets/);
  });
});

describe('SMS-SUBMIT with an absolute validity that cannot be read', () => {
  it('validity.expires null with a warning; the text still there', () => {
    // First octet 0x19: TP-VPF 11 (absolute), octets 8-14; the zone octet 14 is 0xB0.
    const decoded = decodePdu('0019000181F00000621172610250B001C1');
    expect(decoded).toMatchObject({
      type: 'SMS-SUBMIT',
      validity: { format: 'absolute', expires: null },
      text: 'A',
      warnings: ['validity at octet 14 (0xB0): bad BCD digit in the time zone; validity is null'],
    });
  });
});

// ---- properties: corrupting any octet of a timestamp never loses another field ----

const iso = fc
  .record({
    year: fc.integer({ min: 2000, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    quarters: fc.integer({ min: -79, max: 79 }),
  })
  .map(({ year, month, day, hour, minute, second, quarters }) => {
    const p = (n: number) => String(n).padStart(2, '0');
    const abs = Math.abs(quarters) * 15;
    const zone = `${quarters < 0 ? '-' : '+'}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
    return `${year}-${p(month)}-${p(day)}T${p(hour)}:${p(minute)}:${p(second)}${zone}`;
  });
const sender = fc.constantFrom('2936', '000', '+15551234567', '+447700900123', 'Twilio', 'KORE');
const body = fc.oneof(
  fc.string({ maxLength: 160 }).map((text) => ({ text })),
  fc.uint8Array({ maxLength: 140 }).map((data) => ({ data })),
);

/** Octet offset of TP-SCTS in an SMS-DELIVER with SMSC prefix: SMSC, first octet, TP-OA (semi-octets), PID, DCS. */
function deliverTimestampOffset(bytes: Uint8Array): number {
  const tpdu = 1 + bytes[0]!;
  const oaOctets = 2 + Math.ceil(bytes[tpdu + 1]! / 2);
  return tpdu + 1 + oaOctets + 2;
}

/** Octet offset of TP-SCTS in an SMS-STATUS-REPORT with SMSC prefix: SMSC, first octet, TP-MR, TP-RA; TP-DT follows. */
function reportTimestampOffset(bytes: Uint8Array): number {
  const tpdu = 1 + bytes[0]!;
  const raOctets = 2 + Math.ceil(bytes[tpdu + 2]! / 2);
  return tpdu + 2 + raOctets;
}

function corrupt(pdu: string, offset: number, value: number): string {
  const bytes = hexToBytes(pdu);
  bytes[offset] = value;
  return bytesToHex(bytes);
}

/** Every field but the one timestamp that was corrupted, and the warnings. */
function rest(decoded: DecodedSms, field: 'timestamp' | 'discharge_time'): Record<string, unknown> {
  const { [field as keyof DecodedSms]: _changed, warnings: _warnings, ...others } = decoded;
  return others;
}

function expectOnlyThatTimestamp(
  original: DecodedSms,
  corrupted: DecodedSms,
  field: 'timestamp' | 'discharge_time',
  offset: number,
  value: number,
): void {
  expect(rest(corrupted, field)).toEqual(rest(original, field));
  const time = (corrupted as unknown as Record<string, string | null>)[field];
  if (time === null) {
    const hex = value.toString(16).toUpperCase().padStart(2, '0');
    expect(corrupted.warnings).toEqual([
      expect.stringMatching(new RegExp(`^${field} at octet ${offset} \\(0x${hex}\\): `)),
    ]);
  } else {
    // The new octet still made a sound time (e.g. another valid digit): no warning then.
    expect(time).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(corrupted.warnings).toEqual([]);
  }
}

describe('properties: a corrupted timestamp never loses the rest of the PDU', () => {
  it('SMS-DELIVER: any value in any TP-SCTS octet', () => {
    fc.assert(
      fc.property(
        sender,
        body,
        iso,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 255 }),
        (from, content, timestamp, index, value) => {
          const [part] = encodeDeliver({ from, timestamp, ...content });
          const original = decodePdu(part!.pdu);
          expect(original.warnings).toEqual([]);
          const offset = deliverTimestampOffset(hexToBytes(part!.pdu)) + index;
          const corrupted = decodePdu(corrupt(part!.pdu, offset, value), { tpduLength: part!.tpdu_length });
          expectOnlyThatTimestamp(original, corrupted, 'timestamp', offset, value);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('SMS-STATUS-REPORT: any value in any TP-SCTS or TP-DT octet; TP-ST and TP-MR always survive', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('2936', '000', '+15551234567'),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        iso,
        iso,
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 255 }),
        (recipient, messageReference, status, timestamp, dischargeTime, index, value) => {
          const part = encodeStatusReport({ recipient, messageReference, status, timestamp, dischargeTime });
          const original = decodePdu(part.pdu);
          expect(original.warnings).toEqual([]);
          const offset = reportTimestampOffset(hexToBytes(part.pdu)) + index;
          const corrupted = decodePdu(corrupt(part.pdu, offset, value));
          expectOnlyThatTimestamp(original, corrupted, index < 7 ? 'timestamp' : 'discharge_time', offset, value);
          expect(corrupted).toMatchObject({ message_reference: messageReference, status });
        },
      ),
      { numRuns: 400 },
    );
  });
});
