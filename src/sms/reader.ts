import { PduError } from './errors.js';

const HEX = '0123456789ABCDEF';

/** Hex text (either case) to octets. Whitespace around the PDU is tolerated, inside it is a bad nibble. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.trim();
  if (clean.length === 0) throw new PduError('pdu', 0, 'empty PDU');
  const bytes = new Uint8Array(clean.length >> 1);
  for (let i = 0; i < clean.length; i++) {
    const nibble = nibbleValue(clean.charCodeAt(i));
    if (nibble < 0) {
      throw new PduError('pdu', i >> 1, `bad hex character ${JSON.stringify(clean[i])} at position ${i}`);
    }
    if (i >> 1 < bytes.length) bytes[i >> 1] = (bytes[i >> 1] ?? 0) | (i & 1 ? nibble : nibble << 4);
  }
  if (clean.length % 2 !== 0) {
    throw new PduError('pdu', clean.length >> 1, `odd number of hex digits (${clean.length})`);
  }
  return bytes;
}

function nibbleValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Octets to uppercase hex, as AT+CMGS takes them and modems print them. */
export function bytesToHex(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    out += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

/**
 * A bounded cursor over the PDU's octets. Every read names the field it is reading, so running off the end becomes a
 * PduError that says which field was cut short and where.
 */
export class OctetReader {
  pos = 0;
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(field: string): number {
    if (this.pos >= this.bytes.length) throw new PduError(field, this.pos, 'PDU ends before this field (truncated)');
    return this.bytes[this.pos++]!;
  }

  take(count: number, field: string): Uint8Array {
    if (count > this.remaining) {
      throw new PduError(field, this.pos, `needs ${count} octets but only ${this.remaining} remain (truncated)`);
    }
    const out = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }
}
