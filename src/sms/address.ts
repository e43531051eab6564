import { PduError, SmsEncodeError } from './errors.js';
import { decodeGsm7, encodeGsm7 } from './gsm7.js';
import type { OctetReader } from './reader.js';
import { packSeptets, unpackSeptets } from './septets.js';

/** BCD semi-octet digits, TS 23.040 §9.1.2.3: 0-9, then 1010 '*', 1011 '#', 1100 'a', 1101 'b', 1110 'c'. */
const DIGITS = '0123456789*#abc';

/** Type of number (TOA bits 6..4), TS 23.040 §9.1.2.5. */
const TON_INTERNATIONAL = 1;
const TON_ALPHANUMERIC = 5;
/** TOA octets: 0x91 international/ISDN, 0x81 unknown/ISDN, 0xD0 alphanumeric. */
const TOA_INTERNATIONAL = 0x91;
const TOA_UNKNOWN = 0x81;
const TOA_ALPHANUMERIC = 0xd0;

interface DecodedAddress {
  address: string;
  toa: number;
}

/** Semi-octets to digits. A filler nibble (F) is allowed only in the spare half of the last octet. */
function readDigits(bytes: Uint8Array, count: number, field: string, offset: number): string {
  let out = '';
  for (let i = 0; i < count; i++) {
    const byte = bytes[i >> 1]!;
    const nibble = i & 1 ? byte >> 4 : byte & 0x0f;
    if (nibble === 0x0f) {
      // Some networks count the filler in an even length; accept it only as the very last nibble.
      if (i === count - 1) break;
      throw new PduError(field, offset + (i >> 1), `filler nibble F inside the digits (digit ${i + 1} of ${count})`);
    }
    out += DIGITS[nibble]!;
  }
  return out;
}

/**
 * TP-OA / TP-DA / TP-RA (TS 23.040 §9.1.2.5): length in semi-octets (useful digits, or for alphanumeric the
 * semi-octets the packed septets fill), type-of-address, value. International numbers come out with a leading `+`,
 * other numbers as their digits (`2936`, `000`, `*#123#`), alphanumeric senders as text.
 */
export function readAddress(reader: OctetReader, field: string): DecodedAddress {
  const start = reader.pos;
  const length = reader.u8(`${field}_length`);
  if (length > 20) throw new PduError(`${field}_length`, start, `address length ${length} exceeds 20 semi-octets`);
  const toa = reader.u8(`${field}_type`);
  const valueOffset = reader.pos;
  const value = reader.take(Math.ceil(length / 2), field);
  const ton = (toa >> 4) & 0x07;
  if (ton === TON_ALPHANUMERIC) {
    const septets = unpackSeptets(value, Math.floor((length * 4) / 7));
    return { address: decodeGsm7(septets, field, valueOffset), toa };
  }
  return { address: formatNumber(ton, readDigits(value, length, field, valueOffset)), toa };
}

function formatNumber(ton: number, digits: string): string {
  return ton === TON_INTERNATIONAL && digits.length > 0 ? `+${digits}` : digits;
}

/**
 * The SMSC prefix as modems print it (TS 24.011 §8.2.5.1 RP address): length in OCTETS (type octet included),
 * `00` for none. Returns null when absent.
 */
export function readSmsc(reader: OctetReader): DecodedAddress | null {
  const length = reader.u8('smsc_length');
  if (length === 0) return null;
  if (length > 11) throw new PduError('smsc_length', 0, `SMSC address length ${length} exceeds 11 octets`);
  const toa = reader.u8('smsc_type');
  // `01 91`: a type-of-address octet and no digits. There is no address to report, so it is null like `00` (an
  // empty string would read as an address that happens to be blank, and would not encode back to the same prefix).
  if (length === 1) return null;
  const valueOffset = reader.pos;
  const value = reader.take(length - 1, 'smsc');
  return { address: formatNumber((toa >> 4) & 0x07, readDigits(value, (length - 1) * 2, 'smsc', valueOffset)), toa };
}

const NUMERIC = /^\+?[0-9*#]([0-9*#abc]*)$/;

function bcd(digits: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(digits.length / 2)).fill(0xff);
  for (let i = 0; i < digits.length; i++) {
    const nibble = DIGITS.indexOf(digits[i]!);
    const index = i >> 1;
    out[index] = i & 1 ? (out[index]! & 0x0f) | (nibble << 4) : (out[index]! & 0xf0) | nibble;
  }
  return out;
}

/**
 * Encodes a TP address. `+digits` → international (0x91); plain digits, `*`, `#`, `a`-`c` → unknown/ISDN (0x81,
 * what networks use for short codes such as 2936); anything else, when `allowAlphanumeric`, → alphanumeric (0xD0,
 * GSM-7 packed, at most 11 characters).
 */
export function encodeAddress(address: string, field: string, allowAlphanumeric = false): Uint8Array {
  if (NUMERIC.test(address)) {
    const international = address.startsWith('+');
    const digits = international ? address.slice(1) : address;
    if (digits.length > 20) throw new SmsEncodeError(field, `number has ${digits.length} digits (at most 20)`);
    return Uint8Array.from([digits.length, international ? TOA_INTERNATIONAL : TOA_UNKNOWN, ...bcd(digits)]);
  }
  if (!allowAlphanumeric) throw new SmsEncodeError(field, `${JSON.stringify(address)} is not a phone number`);
  const septets = encodeGsm7(address);
  if (septets === null || septets.length === 0 || septets.length > 11) {
    throw new SmsEncodeError(field, `alphanumeric address must be 1-11 GSM 7-bit septets: ${JSON.stringify(address)}`);
  }
  return Uint8Array.from([Math.ceil((septets.length * 7) / 4), TOA_ALPHANUMERIC, ...packSeptets(septets)]);
}

/** The SMSC prefix: `00` for none, else octet length, type, BCD digits. */
export function encodeSmsc(address: string | null | undefined): Uint8Array {
  if (!address) return Uint8Array.of(0);
  if (!/^\+?[0-9]{1,20}$/.test(address)) throw new SmsEncodeError('smsc', `${JSON.stringify(address)} is not a number`);
  const international = address.startsWith('+');
  const digits = bcd(international ? address.slice(1) : address);
  return Uint8Array.from([digits.length + 1, international ? TOA_INTERNATIONAL : TOA_UNKNOWN, ...digits]);
}
