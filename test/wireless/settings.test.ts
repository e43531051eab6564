import { describe, expect, it } from 'vitest';
import { resolveWirelessSettings, WirelessSettingsError } from '../../src/wireless/index.js';

const files: Record<string, string> = { '/run/token': 'file-token\n', '/run/empty': '  \n', '/run/key': 'key-secret' };
const readSecretFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return text;
};
const resolve = (env: NodeJS.ProcessEnv, flags = {}) => resolveWirelessSettings({ env, flags, readSecretFile });

describe('REST client settings from flags and environment', () => {
  it('reads the token from the file named by the environment, trimmed; default base URLs', () => {
    expect(
      resolve({ M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1', M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: '/run/token' }),
    ).toEqual({
      baseUrl: 'https://wireless.twilio.com/v1',
      superSimBaseUrl: 'https://supersim.twilio.com/v1',
      credentials: { accountSid: 'AC1', authToken: 'file-token' },
    });
  });

  it('flags win over the environment; the token file wins over the token variable', () => {
    const settings = resolve(
      {
        M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1',
        M2M_BRIDGE_WIRELESS_AUTH_TOKEN: 'env-token',
        M2M_BRIDGE_WIRELESS_BASE_URL: 'http://env/v1',
      },
      { accountSid: 'AC2', authTokenFile: '/run/token', baseUrl: 'http://flag/v1' },
    );
    expect(settings).toMatchObject({
      baseUrl: 'http://flag/v1',
      credentials: { accountSid: 'AC2', authToken: 'file-token' },
    });
    // A token in the environment itself is not read: only a file named by M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE.
    expect(() =>
      resolve({ M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1', M2M_BRIDGE_WIRELESS_AUTH_TOKEN: 'env-token' }),
    ).toThrow(/M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE/);
  });

  it('uses an API key when M2M_BRIDGE_WIRELESS_API_KEY is set', () => {
    const settings = resolve({ M2M_BRIDGE_WIRELESS_API_KEY: 'SK1', M2M_BRIDGE_WIRELESS_API_SECRET_FILE: '/run/key' });
    expect(settings.credentials).toEqual({ apiKeySid: 'SK1', apiKeySecret: 'key-secret' });
  });

  it('uses KORE client credentials when M2M_BRIDGE_WIRELESS_CLIENT_ID is set, with KORE hosts by default', () => {
    expect(
      resolve({ M2M_BRIDGE_WIRELESS_CLIENT_ID: 'apiclient_1', M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE: '/run/key' }),
    ).toEqual({
      baseUrl: 'https://programmable-wireless.api.korewireless.com/v1',
      superSimBaseUrl: 'https://supersim.api.korewireless.com/v1',
      credentials: {
        clientId: 'apiclient_1',
        clientSecret: 'key-secret',
        tokenUrl: 'https://api.korewireless.com/api-services/v1/auth/token',
      },
    });
    const flagged = resolve(
      { M2M_BRIDGE_WIRELESS_TOKEN_URL: 'http://env/token' },
      { clientId: 'c2', clientSecretFile: '/run/token', baseUrl: 'http://flag/v1' },
    );
    expect(flagged).toMatchObject({
      baseUrl: 'http://flag/v1',
      credentials: { clientId: 'c2', clientSecret: 'file-token', tokenUrl: 'http://env/token' },
    });
  });

  it.each([
    [{}, /--account-sid or set M2M_BRIDGE_WIRELESS_ACCOUNT_SID/],
    [{}, /--client-id or set M2M_BRIDGE_WIRELESS_CLIENT_ID/],
    [{ M2M_BRIDGE_WIRELESS_CLIENT_ID: 'c' }, /--client-secret-file or set M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE/],
    [
      { M2M_BRIDGE_WIRELESS_CLIENT_ID: 'c', M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE: '/run/empty' },
      /the client secret file \/run\/empty is empty/,
    ],
    [{ M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1' }, /--auth-token-file or set M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE/],
    [
      { M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1', M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: '/run/missing' },
      /cannot read the auth token file \/run\/missing: ENOENT/,
    ],
    [{ M2M_BRIDGE_WIRELESS_ACCOUNT_SID: 'AC1', M2M_BRIDGE_WIRELESS_AUTH_TOKEN_FILE: '/run/empty' }, /is empty/],
    [{ M2M_BRIDGE_WIRELESS_API_KEY: 'SK1' }, /M2M_BRIDGE_WIRELESS_API_SECRET_FILE/],
  ])('says what to set: %j', (env, message) => {
    expect(() => resolve(env)).toThrow(WirelessSettingsError);
    expect(() => resolve(env)).toThrow(message);
  });
});
