import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configJsonSchema,
  configSummary,
  type LoadConfigOptions,
  loadConfig,
  redactedConfig,
} from '../../src/config/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-config-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const load = (flags: Record<string, unknown>, options: LoadConfigOptions = {}) =>
  loadConfig({
    env: {},
    configPath: file('config.yaml', '', 0o600),
    flags: { 'serial.path': '/dev/x', ...flags },
    ...options,
  });

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('secrets read from files at load time', () => {
  it('reads each secret file, dropping the trailing newline', () => {
    const { secrets } = load({
      'modem.pin_file': file('pin', '4321\n', 0o600),
      'mqtt.username': 'bridge',
      'mqtt.password_file': file('password', 's3cret pass\n', 0o600),
      'wireless.account_sid': `AC${'a'.repeat(32)}`,
      'wireless.auth_token_file': file('token', 'tok\r\n', 0o400),
    });
    expect(secrets).toMatchObject({ modem_pin: '4321', mqtt_password: 's3cret pass', wireless_auth_token: 'tok' });
  });

  it('reads TLS files, treating the key as a secret', () => {
    const { tls, secrets, warnings } = load({
      'mqtt.url': 'mqtts://broker:8883',
      'mqtt.ca': file('ca.pem', 'CA PEM', 0o644),
      'mqtt.cert': file('cert.pem', 'CERT PEM', 0o644),
      'mqtt.key': file('key.pem', 'KEY PEM', 0o600),
    });
    expect(tls).toEqual({ ca: 'CA PEM', cert: 'CERT PEM' });
    expect(secrets.mqtt_key).toBe('KEY PEM');
    expect(warnings).toEqual([]);
  });

  it('says which secret file cannot be read, listing every one', () => {
    const error = failure(() =>
      load({
        'modem.pin_file': join(dir, 'missing'),
        'mqtt.username': 'u',
        'mqtt.password_file': file('empty', '\n', 0o600),
      }),
    );
    expect(error.issues.map((issue) => `${issue.key}: ${issue.message}`)).toEqual([
      `modem.pin_file: ${join(dir, 'missing')} does not exist`,
      `mqtt.password_file: ${join(dir, 'empty')} is empty`,
    ]);
  });

  it('warns (returned, not printed) when a secret file is readable by every user', () => {
    const path = file('password', 'pw', 0o644);
    const { warnings } = load({ 'mqtt.username': 'u', 'mqtt.password_file': path });
    expect(warnings).toEqual([
      `mqtt.password_file: ${path} holds a secret and is readable by every user (mode 0644); run: chmod o-r ${path}`,
    ]);
  });

  it('refuses a world-writable secret file', () => {
    const path = file('pin', '1234', 0o666);
    const error = failure(() => load({ 'modem.pin_file': path }));
    expect(error.message).toContain(`modem.pin_file: ${path} is writable by every user (mode 0666); refusing it`);
  });

  it('refuses a world-writable config file', () => {
    const path = file('config.yaml', 'serial:\n  path: /dev/x\n', 0o646);
    const error = failure(() => loadConfig({ configPath: path, env: {} }));
    expect(error.message).toContain(`config file ${path} is writable by every user`);
  });

  it('warns when the config file holds the PIN and every user can read it', () => {
    const path = file('config.yaml', 'serial:\n  path: /dev/x\nmodem:\n  pin: "1234"\n', 0o644);
    const { warnings } = loadConfig({ configPath: path, env: {} });
    expect(warnings.join('\n')).toContain('modem.pin:');
    expect(warnings.join('\n')).not.toContain('1234');
  });

  it('checks that a PIN file holds a PIN', () => {
    expect(failure(() => load({ 'modem.pin_file': file('pin', 'hunter2', 0o600) })).message).toBe(
      'invalid configuration: modem.pin_file: expected the file to hold 4 to 8 digits',
    );
  });
});

describe('redaction and the bridge/info summary', () => {
  it('masks the PIN and never contains a secret read from a file', () => {
    const loaded = load({
      'modem.pin': '2468',
      'mqtt.username': 'bridge',
      'mqtt.password_file': file('password', 'hunter2-password', 0o600),
    });
    const redacted = JSON.stringify(redactedConfig(loaded.config));
    expect(redacted).not.toContain('2468');
    expect(redacted).not.toContain('hunter2');
    expect(redactedConfig(loaded.config).modem.pin).toBe('[redacted]');
    expect(loaded.config.modem.pin).toBe('2468');
    const summary = configSummary(loaded.config);
    expect(summary).toMatchObject({
      product: 'programmable-wireless',
      base_topic: 'm2m',
      mqtt_version: 5,
      mqtt_tls: false,
    });
    expect(JSON.stringify(summary)).not.toMatch(/2468|hunter2|password/);
  });
});

describe('configJsonSchema', () => {
  it('describes every section, rejects unknown keys, and carries defaults and descriptions', () => {
    const schema = configJsonSchema() as {
      properties: Record<
        string,
        { properties: Record<string, { default?: unknown; description?: string }>; additionalProperties: boolean }
      >;
      additionalProperties: boolean;
    };
    expect(Object.keys(schema.properties)).toEqual([
      'serial',
      'modem',
      'commands',
      'mqtt',
      'store',
      'wireless',
      'log',
      'metrics',
      'home_assistant',
      'ip_commands',
      'instance',
    ]);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.mqtt?.additionalProperties).toBe(false);
    expect(schema.properties.mqtt?.properties.version).toMatchObject({ default: 5 });
    expect(schema.properties.serial?.properties.path?.description).toContain('Required');
  });
});
