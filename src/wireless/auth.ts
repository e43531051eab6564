/**
 * How a request is authorised, as the HTTP floor sees it: a value for the Authorization header, and what to do when
 * the server refuses it with 401. Two forms exist (README, "Wireless API credentials"):
 *
 * - HTTP Basic with an Account SID + Auth Token, or an API key SID + secret: the Twilio form, which KORE's Super SIM
 *   spec still lists as the `accountSid_authToken` security scheme (korewireless/kore-openapi,
 *   SuperSIM/yaml/kore-supersim-v1.yaml, components.securitySchemes).
 * - OAuth 2.0 client credentials (RFC 6749 §4.4) and `Authorization: Bearer`: KORE's form (oauth-client.ts).
 *
 * The header value is a secret: strategies hand it to the HTTP floor and to nothing else.
 */
export interface AuthStrategy {
  /** Short name for messages and doctor lines: `basic` or `oauth`. Never the credentials. */
  readonly kind: 'basic' | 'oauth';
  /** The Authorization header for the next request (may fetch a token first). */
  authorization(): Promise<string>;
  /**
   * The server answered 401 to `header`. True when a second attempt with a fresh header can succeed (a cached token
   * that expired early or was revoked): the HTTP floor then retries once. Basic credentials cannot get better.
   */
  refused(header: string): boolean;
  close(): Promise<void>;
}

/** HTTP Basic: the header never changes, so a 401 is final. */
export class BasicAuth implements AuthStrategy {
  readonly kind = 'basic';
  readonly #header: string;

  constructor(user: string, secret: string) {
    this.#header = `Basic ${Buffer.from(`${user}:${secret}`).toString('base64')}`;
  }

  authorization(): Promise<string> {
    return Promise.resolve(this.#header);
  }

  refused(): boolean {
    return false;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
