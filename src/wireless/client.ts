import { WirelessHttp, type WirelessHttpOptions } from './http.js';
import { AccountUsageRecordsResource, RatePlansResource } from './resources/account.js';
import { CommandsResource } from './resources/commands.js';
import { SimsResource } from './resources/sims.js';
import { SmsCommandsResource, SuperSimsResource } from './resources/super-sim.js';

/** Programmable Wireless and Super SIM at their Twilio hosts (FACTS.md), used with the Basic (Twilio) credentials. */
export const DEFAULT_WIRELESS_BASE_URL = 'https://wireless.twilio.com/v1';
export const DEFAULT_SUPER_SIM_BASE_URL = 'https://supersim.twilio.com/v1';
/**
 * The same APIs at KORE's hosts, used by default with KORE's client credentials: "All URLs in the reference
 * documentation use the following base URL: https://programmable-wireless.api.korewireless.com/v1"
 * (docs.korewireless.com/en-us/api/products/programmable-wireless) and https://supersim.api.korewireless.com/v1/Sims
 * (docs.korewireless.com/en-us/api/products/supersim/sim-resource).
 */
export const KORE_WIRELESS_BASE_URL = 'https://programmable-wireless.api.korewireless.com/v1';
export const KORE_SUPER_SIM_BASE_URL = 'https://supersim.api.korewireless.com/v1';
/** "KORE's auth endpoint is https://api.korewireless.com/api-services/v1/auth/token" (…/developers/api-management/auth). */
export const KORE_TOKEN_URL = 'https://api.korewireless.com/api-services/v1/auth/token';

export interface WirelessClientOptions extends WirelessHttpOptions {
  /** Base URL including the version, e.g. `https://wireless.twilio.com/v1` or an emulator's `http://127.0.0.1:8080/v1`. */
  baseUrl?: string;
  superSimBaseUrl?: string;
}

/** The REST client: one object per resource, sharing one HTTP floor (auth, retries, timeouts). */
export class WirelessClient {
  readonly commands: CommandsResource;
  readonly sims: SimsResource;
  readonly ratePlans: RatePlansResource;
  readonly usageRecords: AccountUsageRecordsResource;
  readonly superSim: { smsCommands: SmsCommandsResource; sims: SuperSimsResource };
  readonly baseUrl: string;
  readonly superSimBaseUrl: string;
  private readonly http: WirelessHttp;

  constructor(options: WirelessClientOptions) {
    this.baseUrl = trimSlash(options.baseUrl ?? DEFAULT_WIRELESS_BASE_URL);
    this.superSimBaseUrl = trimSlash(options.superSimBaseUrl ?? DEFAULT_SUPER_SIM_BASE_URL);
    for (const url of [this.baseUrl, this.superSimBaseUrl]) assertHttpUrl(url);
    if ('tokenUrl' in options.credentials) assertHttpUrl(options.credentials.tokenUrl);
    this.http = new WirelessHttp(options);
    this.commands = new CommandsResource(this.http, this.baseUrl);
    this.sims = new SimsResource(this.http, this.baseUrl);
    this.ratePlans = new RatePlansResource(this.http, this.baseUrl);
    this.usageRecords = new AccountUsageRecordsResource(this.http, this.baseUrl);
    this.superSim = {
      smsCommands: new SmsCommandsResource(this.http, this.superSimBaseUrl),
      sims: new SuperSimsResource(this.http, this.superSimBaseUrl),
    };
  }

  /** `basic` (Account SID/API key) or `oauth` (client credentials): for messages that say which keys to check. */
  get authKind(): 'basic' | 'oauth' {
    return this.http.authKind;
  }

  /** Closes the connection pool the client owns (not an injected dispatcher). */
  close(): Promise<void> {
    return this.http.close();
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** A base URL must be absolute http(s): anything else is a configuration error, reported with the value. */
export function assertHttpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`base URL is not a valid URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`base URL must be http or https: ${JSON.stringify(url)}`);
  }
  if (parsed.username || parsed.password) throw new TypeError('base URL must not contain credentials');
}
