/**
 * An error response of the API: `{"code","message","more_info","status"}` (FACTS.md; the Twilio REST error shape).
 * `code` is the API's error code (20003 authentication, 20404 not found, 33xxx Programmable Wireless), `status` the
 * HTTP status. When the body is not that shape (a proxy's HTML page, an empty 502), `code` is null and `message`
 * says what the server returned.
 */
export class WirelessApiError extends Error {
  override name = 'WirelessApiError';
  readonly code: number | null;
  readonly status: number;
  readonly moreInfo: string | null;
  readonly method: string;
  readonly url: string;

  constructor(init: {
    code: number | null;
    message: string;
    moreInfo: string | null;
    status: number;
    method: string;
    url: string;
  }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
    this.moreInfo = init.moreInfo;
    this.method = init.method;
    this.url = init.url;
  }

  /** The API's own field name, for callers that mirror the wire shape. */
  get more_info(): string | null {
    return this.moreInfo;
  }

  /** Snake_case, as the CLI prints errors (no credentials are ever part of an error). */
  toJSON() {
    return { code: this.code, message: this.message, more_info: this.moreInfo, status: this.status };
  }
}

/** Why a request produced no HTTP response at all. */
export type WirelessTransportErrorKind = 'connect' | 'timeout' | 'network' | 'aborted';

/** No response: connection refused, connect/headers/body timeout, reset. Carries the underlying error as `cause`. */
export class WirelessTransportError extends Error {
  override name = 'WirelessTransportError';
  readonly kind: WirelessTransportErrorKind;
  readonly method: string;
  readonly url: string;

  constructor(kind: WirelessTransportErrorKind, method: string, url: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${method} ${url}: ${kind === 'timeout' ? 'timed out' : kind} (${detail})`, { cause });
    this.kind = kind;
    this.method = method;
    this.url = url;
  }
}

/** A response that claimed success but whose body is not the JSON the API documents. */
export class WirelessResponseError extends Error {
  override name = 'WirelessResponseError';
}

/** Builds the typed error from a non-2xx response body (JSON or not). */
export function apiErrorFromResponse(status: number, bodyText: string, method: string, url: string): WirelessApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object') {
    const body = parsed as Record<string, unknown>;
    const code = typeof body.code === 'number' ? body.code : null;
    const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
    const moreInfo = typeof body.more_info === 'string' ? body.more_info : null;
    return new WirelessApiError({ code, message, moreInfo, status, method, url });
  }
  const snippet = bodyText.trim().slice(0, 120);
  const message = snippet ? `HTTP ${status}: ${snippet}` : `HTTP ${status} with an empty body`;
  return new WirelessApiError({ code: null, message, moreInfo: null, status, method, url });
}
