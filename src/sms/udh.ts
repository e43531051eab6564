import { PduError } from './errors.js';
import { bytesToHex } from './reader.js';

/** Concatenation info (TS 23.040 §9.2.3.24.1 IEI 00, §9.2.3.24.8 IEI 08). */
export interface Concat {
  ref: number;
  total: number;
  seq: number;
  ref_bits: 8 | 16;
}

/** Application port addressing (§9.2.3.24.3 IEI 04 8-bit, §9.2.3.24.4 IEI 05 16-bit). */
export interface Ports {
  destination: number;
  source: number;
  bits: 8 | 16;
}

/** An information element this codec does not interpret, kept as it came. */
export interface RawIe {
  iei: number;
  data_hex: string;
}

interface Udh {
  concat: Concat | null;
  ports: Ports | null;
  other: RawIe[];
}

const IEI_CONCAT_8 = 0x00;
const IEI_PORTS_8 = 0x04;
const IEI_PORTS_16 = 0x05;
const IEI_CONCAT_16 = 0x08;
/** National language single/locking shift (§9.2.3.24.15/16): the text would need tables this codec lacks. */
const IEI_NATIONAL_SINGLE_SHIFT = 0x24;
const IEI_NATIONAL_LOCKING_SHIFT = 0x25;

/**
 * Parses the information elements of a UDH (`body` excludes the UDHL octet; `offset` is where the body starts in
 * the input). Each IE must fit inside the header; the concatenation and port IEs must have their defined lengths
 * and sane values. A repeated concatenation or port IE replaces the earlier one: TS 23.040 §9.2.3.24 tells the
 * receiver to use the last occurrence.
 */
export function parseUdh(body: Uint8Array, offset: number): Udh {
  const udh: Udh = { concat: null, ports: null, other: [] };
  let pos = 0;
  while (pos < body.length) {
    const ieiOffset = offset + pos;
    const iei = body[pos]!;
    if (pos + 1 >= body.length) throw new PduError('udh', ieiOffset, `IE ${hexByte(iei)} has no length octet`);
    const length = body[pos + 1]!;
    if (pos + 2 + length > body.length) {
      throw new PduError('udh', ieiOffset + 1, `IE ${hexByte(iei)} length ${length} runs past the end of the header`);
    }
    const data = body.subarray(pos + 2, pos + 2 + length);
    const dataOffset = ieiOffset + 2;
    switch (iei) {
      case IEI_CONCAT_8:
      case IEI_CONCAT_16: {
        const bits = iei === IEI_CONCAT_8 ? 8 : 16;
        const want = bits === 8 ? 3 : 4;
        if (length !== want)
          throw new PduError('udh_concat', ieiOffset + 1, `concatenation IE length ${length}, not ${want}`);
        const ref = bits === 8 ? data[0]! : (data[0]! << 8) | data[1]!;
        const total = data[want - 2]!;
        const seq = data[want - 1]!;
        if (total === 0) throw new PduError('udh_concat', dataOffset + want - 2, 'concatenation total is 0');
        if (seq === 0 || seq > total) {
          throw new PduError('udh_concat', dataOffset + want - 1, `part ${seq} is outside 1..${total}`);
        }
        udh.concat = { ref, total, seq, ref_bits: bits };
        break;
      }
      case IEI_PORTS_8:
      case IEI_PORTS_16: {
        const bits = iei === IEI_PORTS_8 ? 8 : 16;
        const want = bits === 8 ? 2 : 4;
        if (length !== want) throw new PduError('udh_ports', ieiOffset + 1, `port IE length ${length}, not ${want}`);
        udh.ports =
          bits === 8
            ? { destination: data[0]!, source: data[1]!, bits }
            : { destination: (data[0]! << 8) | data[1]!, source: (data[2]! << 8) | data[3]!, bits };
        break;
      }
      case IEI_NATIONAL_SINGLE_SHIFT:
      case IEI_NATIONAL_LOCKING_SHIFT:
        throw new PduError('udh', ieiOffset, `national language shift tables (IE ${hexByte(iei)}) are not supported`);
      default:
        udh.other.push({ iei, data_hex: bytesToHex(data) });
    }
    pos += 2 + length;
  }
  return udh;
}

/** Builds a UDH including its UDHL octet; empty when there is nothing to say. */
export function buildUdh(
  concat: Omit<Concat, never> | null,
  ports: { destination: number; source: number; bits: 8 | 16 } | null,
): Uint8Array {
  const ies: number[] = [];
  if (concat) {
    if (concat.ref_bits === 16)
      ies.push(IEI_CONCAT_16, 4, concat.ref >> 8, concat.ref & 0xff, concat.total, concat.seq);
    else ies.push(IEI_CONCAT_8, 3, concat.ref, concat.total, concat.seq);
  }
  if (ports) {
    if (ports.bits === 8) ies.push(IEI_PORTS_8, 2, ports.destination, ports.source);
    else
      ies.push(
        IEI_PORTS_16,
        4,
        ports.destination >> 8,
        ports.destination & 0xff,
        ports.source >> 8,
        ports.source & 0xff,
      );
  }
  return ies.length === 0 ? new Uint8Array(0) : Uint8Array.from([ies.length, ...ies]);
}

/** Length in octets (UDHL included) of the header `buildUdh` would write. */
export function udhLength(concatBits: 8 | 16 | null, portBits: 8 | 16 | null): number {
  const body = (concatBits === null ? 0 : concatBits === 8 ? 5 : 6) + (portBits === null ? 0 : portBits === 8 ? 4 : 6);
  return body === 0 ? 0 : body + 1;
}

function hexByte(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
