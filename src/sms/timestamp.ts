import { SmsEncodeError } from './errors.js';
import type { OctetReader } from './reader.js';

const pad = (value: number) => String(value).padStart(2, '0');

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS[month - 1]!;
}

/** Formats an offset in minutes as `+hh:mm` / `-hh:mm` (never `Z`: the PDU's own zone is kept as written). */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * TP-SCTS / TP-DT / absolute TP-VP (TS 23.040 §9.2.3.11): seven swapped-BCD octets YY MM DD hh mm ss zz. The zone
 * is in quarter hours; bit 3 of the octet's low nibble (the tens digit after swapping) is the sign. Returned as ISO
 * 8601 with the PDU's own offset, e.g. `2026-11-27T16:20:05+01:00`; years are 20YY.
 *
 * Lenient, as the networks need: a digit above 9 or a date that does not exist (month 13, 31 April) makes the
 * timestamp null and adds one warning naming the field, the octet's offset and its value; the seven octets are read
 * either way, so every later field still decodes. Only a PDU too short for the seven octets is an error (PduError).
 * Other stacks do the same: python-messaging (messaging/sms/deliver.py) catches an SCTS it cannot parse, logs
 * "Could not decode scts" and reads TP-ST on; oFono (src/smsutil.c decode_scts) and gammu
 * (common/service/sms/gsmsms.c GSM_DecodeSMSDateTime) check only that seven octets are there.
 */
export function readTimestamp(reader: OctetReader, field: string, warnings: string[]): string | null {
  const start = reader.pos;
  const bytes = reader.take(7, field);
  const problem = timestampProblem(bytes);
  if (problem) {
    const offset = start + problem.index;
    warnings.push(`${field} at octet ${offset} (0x${hex(bytes[problem.index]!)}): ${problem.detail}; ${field} is null`);
    return null;
  }
  const [yy, month, day, hour, minute, second] = digitsOf(bytes);
  const zone = bytes[6]!;
  const quarters = (zone & 0x07) * 10 + (zone >> 4);
  const offsetMinutes = (zone & 0x08 ? -quarters : quarters) * 15;
  return `${2000 + yy}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${formatOffset(offsetMinutes)}`;
}

/** The six date and time octets as numbers (swapped BCD: the low nibble is the tens digit). */
function digitsOf(bytes: Uint8Array): [number, number, number, number, number, number] {
  const out: number[] = [];
  for (let i = 0; i < 6; i++) out.push((bytes[i]! & 0x0f) * 10 + (bytes[i]! >> 4));
  return out as [number, number, number, number, number, number];
}

const NAMES = ['year', 'month', 'day', 'hour', 'minute', 'second'];

/** The first octet of the seven that is no valid BCD or no valid calendar value, or null when all are sound. */
function timestampProblem(bytes: Uint8Array): { index: number; detail: string } | null {
  for (let i = 0; i < 6; i++) {
    const byte = bytes[i]!;
    if ((byte & 0x0f) > 9 || byte >> 4 > 9) return { index: i, detail: `bad BCD digit in the ${NAMES[i]}` };
  }
  // The zone's tens digit has three bits (0-7) beside the sign bit; only its units digit can be no digit.
  if (bytes[6]! >> 4 > 9) return { index: 6, detail: 'bad BCD digit in the time zone' };
  const [yy, month, day, hour, minute, second] = digitsOf(bytes);
  if (month < 1 || month > 12) return { index: 1, detail: `month ${month} out of range` };
  if (day < 1 || day > daysInMonth(2000 + yy, month)) return { index: 2, detail: `day ${day} out of range` };
  if (hour > 23) return { index: 3, detail: `hour ${hour} out of range` };
  if (minute > 59) return { index: 4, detail: `minute ${minute} out of range` };
  if (second > 59) return { index: 5, detail: `second ${second} out of range` };
  return null;
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function swapped(value: number): number {
  return ((value % 10) << 4) | Math.floor(value / 10);
}

/**
 * ISO 8601 with an explicit offset (`Z`, `+01:00`, `-0330`) → the seven SCTS octets. The offset must be a whole
 * number of quarter hours and the year within 2000-2099; fractions of a second are dropped.
 */
export function encodeTimestamp(iso: string, field: string): Uint8Array {
  const match = ISO.exec(iso);
  if (!match) throw new SmsEncodeError(field, `${JSON.stringify(iso)} is not ISO 8601 with an offset`);
  const [, y, mo, d, h, mi, s, zone] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 2000 || year > 2099) throw new SmsEncodeError(field, `year ${year} outside 2000-2099`);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new SmsEncodeError(field, `${JSON.stringify(iso)} is not a calendar date`);
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    throw new SmsEncodeError(field, `${JSON.stringify(iso)} is not a time of day`);
  }
  let minutes = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    minutes = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (zone.startsWith('-') ? -1 : 1);
  }
  if (minutes % 15 !== 0 || Math.abs(minutes) / 15 > 79) {
    throw new SmsEncodeError(field, `offset ${zone} is not a whole number of quarter hours within ±19:45`);
  }
  const quarters = Math.abs(minutes) / 15;
  const zoneOctet = swapped(quarters) | (minutes < 0 ? 0x08 : 0);
  return Uint8Array.of(
    swapped(year - 2000),
    swapped(month),
    swapped(day),
    swapped(Number(h)),
    swapped(Number(mi)),
    swapped(Number(s)),
    zoneOctet,
  );
}
