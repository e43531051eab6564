import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wirelessEndpoints } from '../../src/cli/wireless-config.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { runCli } from '../helpers/cli.js';

// The two forms of Wireless API credentials in the config: Twilio's (Basic) and KORE's (OAuth client credentials).
const dir = mkdtempSync(join(tmpdir(), 'm2m-wireless-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secretFile = join(dir, 'secret');
writeFileSync(secretFile, 'the-secret\n', { mode: 0o600 });
const SID = `AC${'a'.repeat(32)}`;
const KEY = `SK${'b'.repeat(32)}`;

function load(wireless: Record<string, string>) {
  return loadConfig({
    configPath: null,
    defaultConfigPath: join(dir, 'absent.yaml'),
    env: {},
    flags: {
      'serial.path': '/dev/ttyUSB2',
      ...Object.fromEntries(Object.entries(wireless).map(([k, v]) => [`wireless.${k}`, v])),
    },
  });
}

function issues(wireless: Record<string, string>): string[] {
  try {
    load(wireless);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
    throw error;
  }
  return [];
}

describe('wireless credentials in the config', () => {
  it('the KORE form: client id + secret file; KORE hosts and token URL by default', () => {
    const loaded = load({ client_id: 'apiclient_01abc', client_secret_file: secretFile });
    expect(wirelessEndpoints(loaded)).toMatchObject({
      baseUrl: 'https://programmable-wireless.api.korewireless.com/v1',
      superSimBaseUrl: 'https://supersim.api.korewireless.com/v1',
      credentials: {
        clientId: 'apiclient_01abc',
        clientSecret: 'the-secret',
        tokenUrl: 'https://api.korewireless.com/api-services/v1/auth/token',
      },
    });
  });

  it('the Twilio form keeps the Twilio hosts; explicit base URLs win for either form', () => {
    expect(wirelessEndpoints(load({ account_sid: SID, auth_token_file: secretFile }))).toMatchObject({
      baseUrl: 'https://wireless.twilio.com/v1',
      superSimBaseUrl: 'https://supersim.twilio.com/v1',
      credentials: { accountSid: SID, authToken: 'the-secret' },
    });
    expect(wirelessEndpoints(load({ api_key: KEY, api_secret_file: secretFile }))).toMatchObject({
      credentials: { apiKeySid: KEY, apiKeySecret: 'the-secret' },
    });
    const explicit = load({
      client_id: 'c',
      client_secret_file: secretFile,
      base_url: 'http://127.0.0.1:1/v1',
      token_url: 'http://127.0.0.1:1/token',
    });
    expect(wirelessEndpoints(explicit)).toMatchObject({
      baseUrl: 'http://127.0.0.1:1/v1',
      credentials: { tokenUrl: 'http://127.0.0.1:1/token' },
    });
  });

  it('rejects every half-filled pair, naming the missing key', () => {
    expect(issues({ client_id: 'c' })).toEqual([
      'wireless.client_secret_file: required with wireless.client_id (they go together)',
    ]);
    expect(issues({ client_secret_file: secretFile })).toEqual([
      'wireless.client_id: required with wireless.client_secret_file (they go together)',
    ]);
    expect(issues({ token_url: 'https://t/token' })).toEqual(['wireless.client_id: required with wireless.token_url']);
    expect(issues({ account_sid: SID })).toEqual([
      'wireless.auth_token_file: required with wireless.account_sid (or use wireless.api_key)',
    ]);
    expect(issues({ auth_token_file: secretFile })).toEqual([
      'wireless.account_sid: required with wireless.auth_token_file',
    ]);
    expect(issues({ api_key: KEY })).toEqual([
      'wireless.api_secret_file: required with wireless.api_key (they go together)',
    ]);
  });

  it('rejects two forms at once, and a client id with spaces', () => {
    expect(
      issues({ client_id: 'c', client_secret_file: secretFile, account_sid: SID, auth_token_file: secretFile }),
    ).toEqual([
      'wireless.client_id: use one form of credentials: wireless.client_id (KORE) or wireless.account_sid/api_key (Twilio), not both',
    ]);
    expect(issues({ client_id: 'a b', client_secret_file: secretFile })).toEqual([
      'wireless.client_id: expected printable characters without spaces, got "a b"',
    ]);
  });

  it('`config check` refuses a half-filled pair with the key named (exit 1)', async () => {
    const file = join(dir, 'half.yaml');
    writeFileSync(file, 'serial:\n  path: /dev/ttyUSB2\nwireless:\n  client_id: apiclient_01abc\n');
    chmodSync(file, 0o600);
    const result = await runCli(['config', 'check', '--config', file], {
      env: { M2M_BRIDGE_WIRELESS_CLIENT_SECRET_FILE: '' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('wireless.client_secret_file: required with wireless.client_id');
  });
});

describe('ip_commands in the config', () => {
  const withIp = (keys: Record<string, unknown>) =>
    loadConfig({
      configPath: null,
      defaultConfigPath: join(dir, 'absent.yaml'),
      env: {},
      flags: {
        'serial.path': '/dev/ttyUSB2',
        ...Object.fromEntries(Object.entries(keys).map(([k, v]) => [`ip_commands.${k}`, v])),
      },
    });
  const ipIssues = (keys: Record<string, unknown>): string[] => {
    try {
      withIp(keys);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.key}: ${issue.message}`);
      throw error;
    }
    return [];
  };

  it('is off by default, with 100.64.0.1:6969 and text payloads', () => {
    expect(withIp({}).config.ip_commands).toEqual({
      enabled: false,
      listen_port: 6969,
      mo_address: '100.64.0.1',
      mo_port: 6969,
      allowed_sources: ['100.64.0.1'],
      payload_mode: 'text',
    });
  });

  it('on, it needs an interface or a listen address, not both; addresses and ports are checked', () => {
    expect(ipIssues({ enabled: 'true' })).toEqual([
      'ip_commands.interface: required when ip_commands.enabled is true (the cellular interface, e.g. wwan0; or set ip_commands.listen_address)',
    ]);
    expect(ipIssues({ enabled: 'true', interface: 'wwan0' })).toEqual([]);
    expect(ipIssues({ interface: 'wwan0', listen_address: '10.0.0.1' })).toEqual([
      'ip_commands.listen_address: set ip_commands.interface or ip_commands.listen_address, not both',
    ]);
    expect(ipIssues({ mo_address: '100.64.0.256', listen_port: '70000', allowed_sources: '1.2.3.4,nope' })).toEqual(
      expect.arrayContaining([
        'ip_commands.mo_address: expected an IPv4 address, got "100.64.0.256"',
        'ip_commands.listen_port: expected at most 65535, got 70000',
        'ip_commands.allowed_sources.1: expected an IPv4 address, got "nope"',
      ]),
    );
  });
});
