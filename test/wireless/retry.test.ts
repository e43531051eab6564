import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelayMs } from '../../src/wireless/index.js';

describe('retry policy', () => {
  it('parses Retry-After as seconds or as an HTTP-date (RFC 9110 §10.2.3)', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('every computed delay stays within [0, maxDelayMs] and there are at most maxRetries', () => {
    fc.assert(
      fc.property(fc.nat(20), fc.double({ min: 0, max: 0.999999, noNaN: true }), (retry, random) => {
        const delay = retryDelayMs(DEFAULT_RETRY_POLICY, retry, null, () => random);
        if (retry >= DEFAULT_RETRY_POLICY.maxRetries) return delay === null;
        return delay !== null && delay >= 0 && delay <= DEFAULT_RETRY_POLICY.maxDelayMs;
      }),
    );
  });

  it('Retry-After wins over backoff up to the bound', () => {
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 12_000, () => 0)).toBe(12_000);
    expect(retryDelayMs(DEFAULT_RETRY_POLICY, 0, 31_000, () => 0)).toBeNull();
  });
});
