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

/** Classifies what undici threw when no response came: refused/unresolvable, timed out, aborted, or anything else. */
export function transportKind(error: unknown): WirelessTransportErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT')
    return 'connect';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'UND_ERR_ABORTED' || (error as Error | null)?.name === 'AbortError') return 'aborted';
  return 'network';
}

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

/**
 * The token endpoint refused the client credentials or answered something unusable. KORE documents a 401 with
 * `{"error","error_description"}` (RFC 6749 §5.2 shape, e.g. `unauthorized_client` / "Invalid client or Invalid
 * client credentials") and a 400/500 with `{"code","message"}` (kore_token_api_v1.json, components.schemas). Still a
 * WirelessApiError, so every caller that reports API errors reports this one too; `oauthError` is the RFC 6749 code.
 */
export class WirelessTokenError extends WirelessApiError {
  override name = 'WirelessTokenError';
  readonly oauthError: string | null;

  constructor(init: { status: number; message: string; oauthError: string | null; code: number | null; url: string }) {
    super({
      code: init.code,
      message: init.message,
      moreInfo: null,
      status: init.status,
      method: 'POST',
      url: init.url,
    });
    this.oauthError = init.oauthError;
  }
}

/** Builds the typed error from a token endpoint's non-2xx answer, in either of its two documented shapes. */
export function tokenErrorFromResponse(status: number, bodyText: string, url: string): WirelessTokenError {
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const oauthError = typeof body?.error === 'string' ? body.error : null;
  const description = typeof body?.error_description === 'string' ? body.error_description : null;
  const code = typeof body?.code === 'number' ? body.code : null;
  const apiMessage = typeof body?.message === 'string' ? body.message : null;
  const snippet = bodyText.trim().slice(0, 120);
  const detail =
    [oauthError, description].filter(Boolean).join(': ') || apiMessage || (snippet ? snippet : 'an empty body');
  const what = status >= 400 && status < 500 ? 'refused the client credentials' : 'failed';
  return new WirelessTokenError({
    status,
    message: `the token endpoint ${what} (HTTP ${status}): ${detail}`,
    oauthError,
    code,
    url,
  });
}
