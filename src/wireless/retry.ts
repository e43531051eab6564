/**
 * Retry policy of the REST client. Pure: the clock and the random source are parameters.
 *
 * - Only idempotent reads (GET) are retried after a 429 or a 5xx: a POST that reached the server may have created a
 *   Command (an SMS to the device), so repeating it blindly could send it twice.
 * - Any method is retried when the connection was refused before a byte was sent: nothing can have happened.
 * - Delays grow exponentially with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), capped at
 *   `maxDelayMs`. A `Retry-After` header (RFC 9110 §10.2.3: seconds or an HTTP-date) replaces the computed delay;
 *   when it asks for longer than `maxRetryAfterMs`, the client gives up instead of hanging.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (so attempts = maxRetries + 1). */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Parses Retry-After into milliseconds from `nowMs`; null when absent or unparseable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/**
 * The delay before retry number `retry` (0 for the first retry), or null when the client must not retry.
 * `random` returns a number in [0, 1).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | null,
  random: () => number,
): number | null {
  if (retry >= policy.maxRetries) return null;
  if (retryAfterMs !== null) return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : null;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}
