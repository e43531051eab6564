import { SmsEncodeError } from './errors.js';
import type { Ports } from './udh.js';

/** Application ports as encoders take them: 16-bit IE unless `bits: 8` is asked for and both fit. */
export interface PortOptions {
  destination: number;
  /** Defaults to the destination port. */
  source?: number;
  bits?: 8 | 16;
}

export function resolvePorts(ports: PortOptions | undefined): Ports | null {
  if (!ports) return null;
  const bits = ports.bits ?? 16;
  const max = bits === 8 ? 0xff : 0xffff;
  const source = ports.source ?? ports.destination;
  for (const [name, value] of [
    ['destination', ports.destination],
    ['source', source],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new SmsEncodeError(`ports.${name}`, `${value} is not a ${bits}-bit port`);
    }
  }
  return { destination: ports.destination, source, bits };
}

export function checkOctet(value: number, field: string, max = 0xff): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new SmsEncodeError(field, `${value} is not within 0..${max}`);
  return value;
}

/**
 * A default concatenation reference when the caller gives none: a hash of the content, so the codec stays pure and
 * the same message always gets the same reference. Callers that send many messages should pass a rolling counter.
 */
export function defaultReference(seed: string, bits: 8 | 16): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) hash = Math.imul(hash ^ seed.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (bits === 8 ? 0xff : 0xffff);
}
