import { Agent, type Dispatcher, request } from 'undici';
import { type AuthStrategy, BasicAuth } from './auth.js';
import {
  apiErrorFromResponse,
  transportKind,
  type WirelessApiError,
  WirelessResponseError,
  WirelessTransportError,
} from './errors.js';
import { type ClientCredentials, OAuthClientCredentials } from './oauth-client.js';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry.js';

/**
 * The credentials of either form (auth.ts): HTTP Basic (FACTS.md: Account SID + Auth Token, or an API key SID +
 * secret) or KORE's OAuth 2.0 client credentials (client id + secret, exchanged at the token URL for a Bearer token).
 * Taken as values: reading them from files or the environment is the config layer's job. They only ever go into the
 * Authorization header or the token request.
 */
export type WirelessCredentials =
  | { accountSid: string; authToken: string }
  | { apiKeySid: string; apiKeySecret: string }
  | ClientCredentials;

/** Form or query parameters, UpperCamelCase as the API names them; undefined values are left out. */
export type ApiParams = Record<string, string | number | boolean | readonly string[] | undefined>;

/** One finished attempt, for logging. Carries no credentials and no bodies. */
export interface WirelessRequestEvent {
  method: string;
  url: string;
  attempt: number;
  status: number | null;
  durationMs: number;
  error?: string;
}

export interface WirelessHttpOptions {
  credentials: WirelessCredentials;
  /** Replaces the strategy built from `credentials` (tests, or a token source of the caller's own). */
  auth?: AuthStrategy;
  /** An undici dispatcher; by default the client owns an Agent with `connectTimeoutMs` and closes it in close(). */
  dispatcher?: Dispatcher;
  connectTimeoutMs?: number;
  /** Time to wait for the response headers. */
  headersTimeoutMs?: number;
  /** Time allowed between two chunks of the response body. */
  bodyTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Injected so tests never wait for real backoff delays. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  userAgent?: string;
  onRequest?: (event: WirelessRequestEvent) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function encodeParams(params: ApiParams | undefined): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) out.append(key, item);
    else out.append(key, String(value));
  }
  return out;
}

/** Which AuthStrategy the credentials call for. */
function strategyFor(options: WirelessHttpOptions, dispatcher: Dispatcher, now: () => number): AuthStrategy {
  if (options.auth) return options.auth;
  const { credentials } = options;
  if ('clientId' in credentials) {
    return new OAuthClientCredentials({
      ...credentials,
      dispatcher,
      now,
      headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
      bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
      userAgent: options.userAgent ?? 'm2m-bridge',
      onTokenRequest: options.onRequest
        ? (event) => options.onRequest?.({ method: 'POST', attempt: 0, ...event })
        : undefined,
    });
  }
  return 'authToken' in credentials
    ? new BasicAuth(credentials.accountSid, credentials.authToken)
    : new BasicAuth(credentials.apiKeySid, credentials.apiKeySecret);
}

/** The transport floor of the client: auth, form encoding, JSON decoding, typed errors, timeouts, bounded retries. */
export class WirelessHttp {
  // The one class with ECMAScript #private fields (elsewhere: TypeScript `private`): they are hidden at run time too,
  // so logging or inspecting the client can never print the credentials or the token the strategy holds.
  readonly #auth: AuthStrategy;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;
  readonly #retry: RetryPolicy;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #headersTimeout: number;
  readonly #bodyTimeout: number;
  readonly #userAgent: string;
  readonly #onRequest: ((event: WirelessRequestEvent) => void) | undefined;

  constructor(options: WirelessHttpOptions) {
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ connect: { timeout: options.connectTimeoutMs ?? 10_000 } });
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#sleep = options.sleep ?? defaultSleep;
    this.#now = options.now ?? Date.now;
    this.#auth = strategyFor(options, this.#dispatcher, this.#now);
    this.#random = options.random ?? Math.random;
    this.#headersTimeout = options.headersTimeoutMs ?? 30_000;
    this.#bodyTimeout = options.bodyTimeoutMs ?? 30_000;
    this.#userAgent = options.userAgent ?? 'm2m-bridge';
    this.#onRequest = options.onRequest;
  }

  /** GET with query parameters; resolves to the decoded JSON body. */
  get<T>(url: string, query?: ApiParams): Promise<T> {
    const target = new URL(url);
    for (const [key, value] of encodeParams(query)) target.searchParams.append(key, value);
    return this.#send<T>('GET', target.toString(), undefined) as Promise<T>;
  }

  /** POST form-encoded parameters; resolves to the decoded JSON body. */
  post<T>(url: string, form: ApiParams): Promise<T> {
    return this.#send<T>('POST', url, encodeParams(form).toString()) as Promise<T>;
  }

  /** DELETE; the API answers 204 with no body. */
  async delete(url: string): Promise<void> {
    await this.#send('DELETE', url, undefined);
  }

  /** `basic` or `oauth`: which form of credentials this client uses (for messages; never the credentials). */
  get authKind(): AuthStrategy['kind'] {
    return this.#auth.kind;
  }

  async close(): Promise<void> {
    await this.#auth.close();
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #send<T>(method: 'GET' | 'POST' | 'DELETE', url: string, body: string | undefined): Promise<T | undefined> {
    // A 401 to a cached token is retried once with a fresh one, for any method: a refused request did nothing.
    let reauthorized = false;
    for (let attempt = 0; ; attempt++) {
      const authorization = await this.#auth.authorization();
      const started = this.#now();
      let status: number;
      let text: string;
      let retryAfter: string | undefined;
      try {
        const response = await request(url, {
          method,
          dispatcher: this.#dispatcher,
          headersTimeout: this.#headersTimeout,
          bodyTimeout: this.#bodyTimeout,
          headers: {
            authorization,
            accept: 'application/json',
            'user-agent': this.#userAgent,
            ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          },
          body,
        });
        status = response.statusCode;
        const header = response.headers['retry-after'];
        retryAfter = Array.isArray(header) ? header[0] : header;
        text = await response.body.text();
      } catch (error) {
        const kind = transportKind(error);
        this.#report(method, url, attempt, null, started, kind);
        const retryable = kind === 'connect' || (method === 'GET' && kind !== 'aborted');
        const delay = retryable ? retryDelayMs(this.#retry, attempt - Number(reauthorized), null, this.#random) : null;
        if (delay === null) throw new WirelessTransportError(kind, method, url, error);
        await this.#sleep(delay);
        continue;
      }
      this.#report(method, url, attempt, status, started);
      if (status === 401 && !reauthorized && this.#auth.refused(authorization)) {
        reauthorized = true;
        continue;
      }
      if (status >= 200 && status < 300) return status === 204 || text === '' ? undefined : this.#decode<T>(text, url);
      const apiError: WirelessApiError = apiErrorFromResponse(status, text, method, url);
      const delay =
        method === 'GET' && isRetryableStatus(status)
          ? retryDelayMs(
              this.#retry,
              attempt - Number(reauthorized),
              parseRetryAfter(retryAfter, this.#now()),
              this.#random,
            )
          : null;
      if (delay === null) throw apiError;
      await this.#sleep(delay);
    }
  }

  #decode<T>(text: string, url: string): T {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new WirelessResponseError(`${url}: the response is not JSON: ${text.slice(0, 80)}`);
    }
  }

  #report(method: string, url: string, attempt: number, status: number | null, started: number, error?: string) {
    if (!this.#onRequest) return;
    const event: WirelessRequestEvent = { method, url, attempt, status, durationMs: this.#now() - started };
    if (error !== undefined) event.error = error;
    try {
      this.#onRequest(event);
    } catch {
      // a throwing log hook must not turn a successful request into a failure
    }
  }
}
