import {
  DEFAULT_SUPER_SIM_BASE_URL,
  DEFAULT_WIRELESS_BASE_URL,
  KORE_SUPER_SIM_BASE_URL,
  KORE_TOKEN_URL,
  KORE_WIRELESS_BASE_URL,
} from './client.js';
import type { WirelessCredentials } from './http.js';

/**
 * Where the REST client's settings come from when there is no config file: flags first, then the environment
 * (ARCHITECTURE.md: `M2M_BRIDGE_<SECTION>_<KEY>`, section `wireless`). Secrets are read from files when a *_FILE
 * variable or flag names one (so they stay out of `ps` and shell history); the value itself is never printed.
 * Reading files is injected, so this stays testable and free of I/O.
 */
export interface WirelessSettingsInput {
  env: NodeJS.ProcessEnv;
  flags: {
    baseUrl?: string;
    superSimBaseUrl?: string;
    accountSid?: string;
    authTokenFile?: string;
    clientId?: string;
    clientSecretFile?: string;
    tokenUrl?: string;
  };
  readSecretFile: (path: string) => string;
}

export interface WirelessSettings {
  baseUrl: string;
  superSimBaseUrl: string;
  credentials: WirelessCredentials;
}

/** A setting is missing or unusable; the message names the flag or variable to set. */
export class WirelessSettingsError extends Error {
  override name = 'WirelessSettingsError';
}

const ENV = {
  baseUrl: 'M2M_BRIDGE_WIRELESS_BASE_URL',
  superSimBaseUrl: 'M2M_BRIDGE_WIRELESS_SUPER_SIM_BASE_URL',
  accountSid: 'M2M_BRIDGE_WIRELESS_ACCOUNT_SID',
  authTokenFile: 'M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE',
  // The config keys wireless.api_key and wireless.api_secret_file (src/config), as environment variables.
  apiKeySid: 'M2M_BRIDGE_WIRELESS_API_KEY',
  apiKeySecretFile: 'M2M_BRIDGE_WIRELESS_API_SECRET_FILE',
  // KORE's OAuth 2.0 client credentials: wireless.client_id, wireless.client_secret_file, wireless.token_url.
  clientId: 'M2M_BRIDGE_WIRELESS_CLIENT_ID',
  clientSecretFile: 'M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE',
  tokenUrl: 'M2M_BRIDGE_WIRELESS_TOKEN_URL',
} as const;

function secret(input: WirelessSettingsInput, file: string | undefined, value: string | undefined, what: string) {
  if (file) {
    let text: string;
    try {
      text = input.readSecretFile(file);
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
      throw new WirelessSettingsError(`cannot read the ${what} file ${file}: ${reason}`);
    }
    const trimmed = text.trim();
    if (!trimmed) throw new WirelessSettingsError(`the ${what} file ${file} is empty`);
    return trimmed;
  }
  return value || undefined;
}

/**
 * KORE's form wins when a client id is given (flag or environment) and no Twilio flag is: its hosts are then the
 * default base URLs, and the secret comes from a file like the auth token does.
 */
function koreSettings(input: WirelessSettingsInput, clientId: string): WirelessSettings {
  const { env, flags } = input;
  const clientSecret = secret(input, flags.clientSecretFile ?? env[ENV.clientSecretFile], undefined, 'client secret');
  if (!clientSecret) {
    throw new WirelessSettingsError(
      `a client id is set: also pass --client-secret-file or set ${ENV.clientSecretFile}`,
    );
  }
  return {
    baseUrl: flags.baseUrl ?? env[ENV.baseUrl] ?? KORE_WIRELESS_BASE_URL,
    superSimBaseUrl: flags.superSimBaseUrl ?? env[ENV.superSimBaseUrl] ?? KORE_SUPER_SIM_BASE_URL,
    credentials: { clientId, clientSecret, tokenUrl: flags.tokenUrl ?? env[ENV.tokenUrl] ?? KORE_TOKEN_URL },
  };
}

export function resolveWirelessSettings(input: WirelessSettingsInput): WirelessSettings {
  const { env, flags } = input;
  const clientId = flags.clientId ?? env[ENV.clientId];
  if (clientId && !flags.accountSid && !flags.authTokenFile) return koreSettings(input, clientId);
  if (flags.clientSecretFile || flags.tokenUrl) {
    throw new WirelessSettingsError(`--client-secret-file and --token-url need --client-id (or ${ENV.clientId})`);
  }
  const baseUrl = flags.baseUrl ?? env[ENV.baseUrl] ?? DEFAULT_WIRELESS_BASE_URL;
  const superSimBaseUrl = flags.superSimBaseUrl ?? env[ENV.superSimBaseUrl] ?? DEFAULT_SUPER_SIM_BASE_URL;
  const apiKeySid = env[ENV.apiKeySid];
  if (apiKeySid && !flags.accountSid && !flags.authTokenFile) {
    const apiKeySecret = secret(input, env[ENV.apiKeySecretFile], undefined, 'API key secret');
    if (!apiKeySecret) throw new WirelessSettingsError(`${ENV.apiKeySid} is set: also set ${ENV.apiKeySecretFile}`);
    return { baseUrl, superSimBaseUrl, credentials: { apiKeySid, apiKeySecret } };
  }
  const accountSid = flags.accountSid ?? env[ENV.accountSid];
  if (!accountSid) {
    throw new WirelessSettingsError(
      `no credentials: pass --account-sid or set ${ENV.accountSid} (Twilio), or pass --client-id or set ${ENV.clientId} (KORE)`,
    );
  }
  // The token itself is never taken from the environment: secrets live in files (README, Configuration), and an
  // M2M_BRIDGE_* variable that is no config key would make `m2m-bridge run` refuse to start in the same shell.
  const authToken = secret(input, flags.authTokenFile ?? env[ENV.authTokenFile], undefined, 'auth token');
  if (!authToken) {
    throw new WirelessSettingsError(`no auth token: pass --auth-token-file or set ${ENV.authTokenFile}`);
  }
  return { baseUrl, superSimBaseUrl, credentials: { accountSid, authToken } };
}
