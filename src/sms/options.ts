import { SmsEncodeError } from './errors.js';
import { fnv1a } from './hash.js';
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
 * The concatenation reference for a message of `total` parts: the caller's, checked against the reference size, or
 * when none is given a hash of `seed` (the content), so the codec stays pure and one message always gets one
 * reference. Callers that send many messages should pass a rolling counter. Unused (0) for a single part.
 */
export function concatReference(total: number, given: number | undefined, seed: string, bits: 8 | 16): number {
  if (total === 1) return 0;
  const max = bits === 8 ? 0xff : 0xffff;
  return checkOctet(given ?? fnv1a(seed) & max, 'concatReference', max);
}
