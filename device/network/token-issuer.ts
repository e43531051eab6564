import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RouteResult } from './route.js';

/**
 * The emulator's OAuth 2.0 token endpoint, shaped like KORE's (POST /api-services/v1/auth/token, form-encoded
 * grant_type=client_credentials, client_id, client_secret; korewireless/kore-openapi kore_token_api_v1.json and
 * docs.korewireless.com/en-us/developers/api-management/auth):
 *
 * - 200 `{"access_token","expires_in","token_type":"Bearer","scope"}`
 * - 401 `{"error":"unauthorized_client","error_description":"Invalid client or Invalid client credentials"}` for
 *   unknown credentials (the guide's example; the spec's example says `invalid_client`, the guide wins here)
 * - 400 `{"code","message"}` (the spec's Error schema) for a missing field or another grant type. KORE's codes
 *   for these are not documented; 400 is used as the code.
 *
 * Tokens are random, live `tokenLifetimeSeconds` by the emulator's clock, and can all be revoked at once, so tests
 * can make a cached token go stale on the server before the client expects it.
 */
export const TOKEN_PATH = '/api-services/v1/auth/token';

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class TokenIssuer {
  readonly #clients: readonly OAuthClient[];
  readonly #now: () => number;
  #lifetimeSeconds: number;
  readonly #issued = new Map<string, number>();
  readonly #everIssued: string[] = [];
  /** How many tokens were handed out (tests count refreshes). */
  issuedCount = 0;

  constructor(options: { clients: readonly OAuthClient[]; lifetimeSeconds: number; now: () => number }) {
    this.#clients = options.clients;
    this.#lifetimeSeconds = options.lifetimeSeconds;
    this.#now = options.now;
  }

  set lifetimeSeconds(seconds: number) {
    this.#lifetimeSeconds = seconds;
  }

  issue(form: URLSearchParams): RouteResult {
    const grant = form.get('grant_type');
    const clientId = form.get('client_id');
    const clientSecret = form.get('client_secret');
    if (grant !== 'client_credentials') {
      return {
        status: 400,
        body: { code: 400, message: `grant_type must be client_credentials, got ${grant ?? 'none'}` },
      };
    }
    if (!clientId || !clientSecret) {
      return { status: 400, body: { code: 400, message: 'client_id and client_secret are required' } };
    }
    const known = this.#clients.some((c) => safeEqual(c.clientId, clientId) && safeEqual(c.clientSecret, clientSecret));
    if (!known) {
      return {
        status: 401,
        body: { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' },
      };
    }
    const token = `emu_${randomBytes(24).toString('base64url')}`;
    this.#issued.set(token, this.#now() + this.#lifetimeSeconds * 1000);
    this.#everIssued.push(token);
    this.issuedCount++;
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: this.#lifetimeSeconds,
        token_type: 'Bearer',
        scope: 'supersim wireless',
      },
    };
  }

  /** True while `token` was issued here, is not revoked and has not expired. */
  accepts(token: string): boolean {
    const expiresAt = this.#issued.get(token);
    if (expiresAt === undefined) return false;
    if (this.#now() < expiresAt) return true;
    this.#issued.delete(token);
    return false;
  }

  /** Every token handed out so far, for tests that search output for them. */
  issuedTokens(): string[] {
    return [...this.#everIssued];
  }

  /** Every token issued so far stops working (as if each expired on the server). */
  revokeAll(): void {
    this.#issued.clear();
  }
}
