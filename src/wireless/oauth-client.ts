import { type Dispatcher, request } from 'undici';
import type { AuthStrategy } from './auth.js';
import { tokenErrorFromResponse, transportKind, WirelessResponseError, WirelessTransportError } from './errors.js';

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4) as KORE serves it
 * (docs.korewireless.com/en-us/developers/api-management/auth; korewireless/kore-openapi, kore_token_api_v1.json):
 *
 *   POST https://api.korewireless.com/api-services/v1/auth/token
 *   content-type: application/x-www-form-urlencoded
 *   grant_type=client_credentials&client_id=…&client_secret=…
 *   → 200 {"access_token","expires_in" (seconds),"token_type":"Bearer","scope"}
 *
 * KORE documents the client id and secret as form fields (not an HTTP Basic header), so that is what is sent. The token
 * is cached until shortly before it expires, fetched once for concurrent requests, and dropped when an API call is
 * refused with it (401), so the next call fetches a new one. Neither the secret nor the token leaves this object
 * except in the token request and the Authorization header.
 */
export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
}

interface OAuthClientOptions extends ClientCredentials {
  dispatcher: Dispatcher;
  now: () => number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  userAgent: string;
  /** One finished token request, for logs: URL and status only. */
  onTokenRequest?: (event: { url: string; status: number | null; durationMs: number; error?: string }) => void;
}

/** A token is renewed this long before it expires: a tenth of its lifetime, at most a minute. */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.floor(lifetimeMs / 10));
}

interface CachedToken {
  header: string;
  expiresAt: number;
  renewAt: number;
}

/** `expires_in` is a number in the OpenAPI schema but a string ("EXPIRY_TIME") in the guide's example: take both. */
function lifetimeSeconds(value: unknown): number | null {
  const seconds = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : null;
}

export class OAuthClientCredentials implements AuthStrategy {
  readonly kind = 'oauth';
  readonly #options: OAuthClientOptions;
  #cached: CachedToken | null = null;
  #pending: Promise<CachedToken> | null = null;

  constructor(options: OAuthClientOptions) {
    this.#options = options;
  }

  async authorization(): Promise<string> {
    const cached = this.#cached;
    if (cached && this.#options.now() < cached.renewAt) return cached.header;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = null;
    });
    return (await this.#pending).header;
  }

  refused(header: string): boolean {
    if (this.#cached?.header === header) this.#cached = null;
    return true;
  }

  close(): Promise<void> {
    this.#cached = null;
    return Promise.resolve();
  }

  async #fetch(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, now } = this.#options;
    const started = now();
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    let status: number;
    let text: string;
    try {
      const response = await request(tokenUrl, {
        method: 'POST',
        dispatcher: this.#options.dispatcher,
        headersTimeout: this.#options.headersTimeoutMs,
        bodyTimeout: this.#options.bodyTimeoutMs,
        headers: {
          accept: 'application/json',
          'content-type': 'application/x-www-form-urlencoded',
          'cache-control': 'no-cache',
          'user-agent': this.#options.userAgent,
        },
        body: form.toString(),
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      const kind = transportKind(error);
      this.#report(started, null, kind);
      throw new WirelessTransportError(kind, 'POST', tokenUrl, error);
    }
    this.#report(started, status);
    if (status < 200 || status >= 300) throw tokenErrorFromResponse(status, text, tokenUrl);
    return this.#accept(text, started);
  }

  #accept(text: string, requestedAt: number): CachedToken {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new WirelessResponseError(`${this.#options.tokenUrl}: the token response is not JSON`);
    }
    const token = body?.access_token;
    if (typeof token !== 'string' || token === '' || /[\r\n]/.test(token)) {
      throw new WirelessResponseError(`${this.#options.tokenUrl}: the token response has no access_token`);
    }
    if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
      throw new WirelessResponseError(
        `${this.#options.tokenUrl}: token_type ${JSON.stringify(body.token_type)} is not Bearer`,
      );
    }
    // RFC 6749 §5.1 makes expires_in optional; without it the token is used until a 401 says otherwise.
    const seconds = lifetimeSeconds(body.expires_in);
    const lifetimeMs = seconds === null ? Number.POSITIVE_INFINITY : seconds * 1000;
    // Counted from when the request was sent, so time on the wire shortens the cache rather than outliving the token.
    const expiresAt = requestedAt + lifetimeMs;
    const cached = {
      header: `Bearer ${token}`,
      expiresAt,
      renewAt: seconds === null ? expiresAt : expiresAt - refreshMarginMs(lifetimeMs),
    };
    this.#cached = cached;
    return cached;
  }

  #report(started: number, status: number | null, error?: string) {
    const hook = this.#options.onTokenRequest;
    if (!hook) return;
    try {
      hook({
        url: this.#options.tokenUrl,
        status,
        durationMs: this.#options.now() - started,
        ...(error ? { error } : {}),
      });
    } catch {
      // a throwing log hook must not fail the request
    }
  }
}
