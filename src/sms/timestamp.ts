import { PduError, SmsEncodeError } from './errors.js';
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
 */
export function readTimestamp(reader: OctetReader, field: string): string {
  const start = reader.pos;
  const bytes = reader.take(7, field);
  const fields: number[] = [];
  for (let i = 0; i < 6; i++) {
    const byte = bytes[i]!;
    const tens = byte & 0x0f;
    const units = byte >> 4;
    if (tens > 9 || units > 9) throw new PduError(field, start + i, `bad BCD octet ${hex(byte)}`);
    fields.push(tens * 10 + units);
  }
  const zone = bytes[6]!;
  const zoneTens = zone & 0x07;
  const zoneUnits = zone >> 4;
  if (zoneUnits > 9) throw new PduError(field, start + 6, `bad BCD time zone octet ${hex(zone)}`);
  const quarters = zoneTens * 10 + zoneUnits;
  const offsetMinutes = (zone & 0x08 ? -quarters : quarters) * 15;
  const [yy, month, day, hour, minute, second] = fields as [number, number, number, number, number, number];
  const year = 2000 + yy;
  if (month < 1 || month > 12) throw new PduError(field, start + 1, `month ${month} out of range`);
  if (day < 1 || day > daysInMonth(year, month)) throw new PduError(field, start + 2, `day ${day} out of range`);
  if (hour > 23) throw new PduError(field, start + 3, `hour ${hour} out of range`);
  if (minute > 59) throw new PduError(field, start + 4, `minute ${minute} out of range`);
  if (second > 59) throw new PduError(field, start + 5, `second ${second} out of range`);
  return `${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${formatOffset(offsetMinutes)}`;
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
