import type { Encoding } from './dcs.js';
import { packSeptets } from './septets.js';
import { buildUdh, type Concat, type Ports } from './udh.js';

/**
 * TP-UDL + TP-UD for one part: the UDH (if any), fill bits up to a septet boundary for GSM-7, then the payload.
 * `units` are septets for GSM-7 and octets otherwise (see segment.ts).
 */
export function buildUserData(
  encoding: Encoding,
  units: number[],
  concat: Concat | null,
  ports: Ports | null,
): number[] {
  const header = buildUdh(concat, ports);
  if (encoding !== 'gsm7') return [header.length + units.length, ...header, ...units];
  const headerSeptets = Math.ceil((header.length * 8) / 7);
  const packed = packSeptets(units, headerSeptets);
  packed.set(header, 0);
  return [headerSeptets + units.length, ...packed];
}
