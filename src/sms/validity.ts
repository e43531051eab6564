import { PduError, SmsEncodeError } from './errors.js';
import type { OctetReader } from './reader.js';
import { readTimestamp } from './timestamp.js';

/** TP-VP as decoded (TS 23.040 §9.2.3.12). Relative periods are given in seconds. */
export type Validity =
  | { format: 'relative'; seconds: number }
  | { format: 'absolute'; expires: string | null }
  | { format: 'enhanced'; single_shot: boolean; seconds: number | null };

/** Relative TP-VP octet → seconds (TS 23.040 §9.2.3.12.1). */
export function relativeValiditySeconds(vp: number): number {
  if (vp <= 143) return (vp + 1) * 5 * 60;
  if (vp <= 167) return 12 * 3600 + (vp - 143) * 30 * 60;
  if (vp <= 196) return (vp - 166) * 86400;
  return (vp - 192) * 7 * 86400;
}

/** Reads TP-VP of an SMS-SUBMIT for the TP-VPF bits (first octet bits 4..3); an unreadable absolute time warns. */
export function readValidity(reader: OctetReader, vpf: number, warnings: string[]): Validity | null {
  if (vpf === 0) return null;
  if (vpf === 2) return { format: 'relative', seconds: relativeValiditySeconds(reader.u8('validity')) };
  if (vpf === 3) return { format: 'absolute', expires: readTimestamp(reader, 'validity', warnings) };
  // Enhanced format (§9.2.3.12.3): functionality indicator, then up to six octets, seven in all.
  const start = reader.pos;
  const octets = reader.take(7, 'validity');
  const indicator = octets[0]!;
  const single_shot = (indicator & 0x40) !== 0;
  const format = indicator & 0x07;
  switch (format) {
    case 0:
      return { format: 'enhanced', single_shot, seconds: null };
    case 1:
      return { format: 'enhanced', single_shot, seconds: relativeValiditySeconds(octets[1]!) };
    case 2:
      return { format: 'enhanced', single_shot, seconds: octets[1]! };
    case 3: {
      const parts: number[] = [];
      for (let i = 1; i <= 3; i++) {
        const byte = octets[i]!;
        if ((byte & 0x0f) > 9 || byte >> 4 > 9)
          throw new PduError('validity', start + i, 'bad BCD in enhanced validity');
        parts.push((byte & 0x0f) * 10 + (byte >> 4));
      }
      const [h, m, s] = parts as [number, number, number];
      return { format: 'enhanced', single_shot, seconds: h * 3600 + m * 60 + s };
    }
    default:
      throw new PduError('validity', start, `reserved enhanced validity format ${format}`);
  }
}

const UNITS: Record<string, number> = { s: 1, m: 60, min: 60, h: 3600, d: 86400, w: 604800 };

/** `'1d'`, `'2h'`, `'30m'`, `'1w'`, `'90s'`, `'3600'` or a number of seconds → seconds. */
export function parseValidity(value: string | number): number {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(s|m|min|h|d|w)?\s*$/i.exec(value);
    if (!match) throw new SmsEncodeError('validity', `${JSON.stringify(value)} is not a duration like 1d, 12h, 30m`);
    seconds = Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()]!;
  }
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new SmsEncodeError('validity', `validity must be a positive duration, got ${JSON.stringify(value)}`);
  }
  return seconds;
}

/** The smallest relative TP-VP octet that lasts at least `seconds` (5 minutes to 63 weeks). */
export function relativeValidityOctet(seconds: number): number {
  for (let vp = 0; vp <= 255; vp++) if (relativeValiditySeconds(vp) >= seconds) return vp;
  throw new SmsEncodeError('validity', `${seconds} s is longer than the 63 weeks a relative validity can say`);
}
