import { randomBytes } from 'node:crypto';

/** Resource SIDs: a two-letter prefix and 32 hex digits (AC, DE, DC, WP, HS, HC, …; the specs' `pattern`s). */
export type SidFactory = (prefix: string) => string;

/** `random(n)` returns n random bytes; injected so tests can make SIDs deterministic. */
export function createSidFactory(random: (bytes: number) => Uint8Array = randomBytes): SidFactory {
  return (prefix) => `${prefix}${Buffer.from(random(16)).toString('hex')}`;
}

/** ISO 8601 in GMT without milliseconds, as the API prints dates (`2015-07-30T20:00:00Z`). */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
