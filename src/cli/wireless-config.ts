import type { LoadedConfig } from '../config/index.js';
import {
  DEFAULT_SUPER_SIM_BASE_URL,
  DEFAULT_WIRELESS_BASE_URL,
  KORE_SUPER_SIM_BASE_URL,
  KORE_TOKEN_URL,
  KORE_WIRELESS_BASE_URL,
  type WirelessCredentials,
} from '../wireless/index.js';

/** What the API subcommands and doctor need from the config: where the APIs are and how to authorise. */
interface WirelessEndpoints {
  baseUrl: string;
  superSimBaseUrl: string;
  /** null when the config names no complete form of credentials. */
  credentials: WirelessCredentials | null;
  /** Which keys to check when the API refuses the credentials, for error hints. */
  keys: string;
}

/**
 * The credentials form decides the default hosts: KORE's client credentials go to KORE's hosts, the Twilio form to
 * Twilio's (README, "Wireless API credentials"). An explicit base URL always wins, so the emulator or a KORE host with
 * Basic credentials (the Super SIM spec lists both schemes) can be named.
 */
export function wirelessEndpoints(loaded: Pick<LoadedConfig, 'config' | 'secrets'>): WirelessEndpoints {
  const { wireless } = loaded.config;
  const { secrets } = loaded;
  const kore = wireless.client_id !== undefined;
  const baseUrl = wireless.base_url ?? (kore ? KORE_WIRELESS_BASE_URL : DEFAULT_WIRELESS_BASE_URL);
  const superSimBaseUrl = wireless.super_sim_base_url ?? (kore ? KORE_SUPER_SIM_BASE_URL : DEFAULT_SUPER_SIM_BASE_URL);
  if (kore) {
    const credentials =
      secrets.wireless_client_secret !== null
        ? {
            clientId: wireless.client_id!,
            clientSecret: secrets.wireless_client_secret,
            tokenUrl: wireless.token_url ?? KORE_TOKEN_URL,
          }
        : null;
    return {
      baseUrl,
      superSimBaseUrl,
      credentials,
      keys: 'wireless.client_id and the secret in wireless.client_secret_file',
    };
  }
  if (wireless.api_key && secrets.wireless_api_secret) {
    return {
      baseUrl,
      superSimBaseUrl,
      credentials: { apiKeySid: wireless.api_key, apiKeySecret: secrets.wireless_api_secret },
      keys: 'wireless.api_key and the secret in wireless.api_secret_file',
    };
  }
  const credentials =
    wireless.account_sid && secrets.wireless_auth_token
      ? { accountSid: wireless.account_sid, authToken: secrets.wireless_auth_token }
      : null;
  return {
    baseUrl,
    superSimBaseUrl,
    credentials,
    keys: 'wireless.account_sid and the token in wireless.auth_token_file',
  };
}
