import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type LoadConfigOptions, loadConfig } from '../../src/config/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(text: string, mode = 0o640): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

const load = (options: LoadConfigOptions = {}) =>
  loadConfig({ env: {}, defaultConfigPath: join(dir, 'absent.yaml'), hostname: 'gw-01', ...options });

function failure(options: LoadConfigOptions): ConfigError {
  try {
    load(options);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: sources and defaults', () => {
  it('applies every default around the one required key', () => {
    const { config, warnings, file } = load({ configPath: writeConfig('serial:\n  path: /dev/ttyUSB2\n') });
    expect(file).toBe(join(dir, 'config.yaml'));
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      serial: { path: '/dev/ttyUSB2', baud_rate: 115200 },
      modem: { profile: 'auto', storage: 'auto' },
      commands: { product: 'programmable-wireless', allow_multipart: false, publish_rejected: true },
      mqtt: { url: 'mqtt://127.0.0.1:1883', base_topic: 'm2m', version: 5, client_id: 'm2m-bridge-gw-01' },
      store: { path: '/var/lib/m2m-bridge/journal.db' },
      log: { level: 'info' },
    });
    expect(config.commands.allowed_senders).toBeUndefined();
  });

  it('keeps YAML values as written: a PIN of 0000 and the short code 000 are not numbers', () => {
    const path = writeConfig(
      'serial: {path: /dev/x}\nmodem:\n  pin: 0000\ncommands:\n  product: super-sim\n  allowed_senders: [000, 2936]\n',
      0o600,
    );
    const { config, secrets } = load({ configPath: path });
    expect(config.modem.pin).toBe('0000');
    expect(secrets.modem_pin).toBe('0000');
    expect(config.commands.allowed_senders).toEqual(['000', '2936']);
  });

  it('coerces YAML scalars, environment strings and flags to each key type', () => {
    const path = writeConfig('serial:\n  path: /dev/x\n  baud_rate: 9600\ncommands:\n  allow_multipart: yes\n');
    const { config } = load({
      configPath: path,
      env: { M2M_BRIDGE_MQTT_VERSION: '4', M2M_BRIDGE_COMMANDS_ALLOWED_SENDERS: '2936, +15550001234' },
      flags: { 'mqtt.keepalive_seconds': '30', 'commands.publish_rejected': false },
    });
    expect(config.serial.baud_rate).toBe(9600);
    expect(config.commands.allow_multipart).toBe(true);
    expect(config.mqtt.version).toBe(4);
    expect(config.commands.allowed_senders).toEqual(['2936', '+15550001234']);
    expect(config.mqtt.keepalive_seconds).toBe(30);
    expect(config.commands.publish_rejected).toBe(false);
  });

  it('lets the environment override the file and flags override both', () => {
    const path = writeConfig('serial:\n  path: /dev/from-file\nlog:\n  level: debug\n');
    const { config } = load({
      configPath: path,
      env: { M2M_BRIDGE_SERIAL_PATH: '/dev/from-env', M2M_BRIDGE_LOG_LEVEL: 'warn' },
      flags: { 'serial.path': '/dev/from-flag' },
    });
    expect(config.serial.path).toBe('/dev/from-flag');
    expect(config.log.level).toBe('warn');
  });

  it('runs from the environment alone when the default file is absent, and says so', () => {
    const { config, warnings, file } = load({ env: { M2M_BRIDGE_SERIAL_PATH: '/dev/ttyACM0', M2M_BRIDGE_DEBUG: '1' } });
    expect(file).toBeNull();
    expect(config.serial.path).toBe('/dev/ttyACM0');
    expect(warnings[0]).toContain('no config file at');
  });

  it('treats an empty environment variable and an empty YAML value as not set', () => {
    const path = writeConfig('serial:\n  path: /dev/x\nmqtt:\n  username:\n');
    const { config } = load({ configPath: path, env: { M2M_BRIDGE_MQTT_BASE_TOPIC: '' } });
    expect(config.mqtt.base_topic).toBe('m2m');
    expect(config.mqtt.username).toBeUndefined();
  });

  it('derives a stable, broker-safe client id from the host name unless one is set', () => {
    const flags = { 'serial.path': '/dev/x' };
    expect(load({ flags, hostname: 'GW_01.factory.local' }).config.mqtt.client_id).toBe(
      'm2m-bridge-gw-01-factory-local',
    );
    expect(load({ flags: { ...flags, 'mqtt.client_id': 'line-7' } }).config.mqtt.client_id).toBe('line-7');
  });

  it('reads an empty file as all defaults', () => {
    expect(load({ configPath: writeConfig(''), flags: { 'serial.path': '/dev/x' } }).config.serial.path).toBe('/dev/x');
  });
});

describe('loadConfig: errors name the key, what is expected and where the value came from', () => {
  it('reports the example from the contract', () => {
    const error = failure({ env: { M2M_BRIDGE_SERIAL_PATH: '/dev/x', M2M_BRIDGE_MQTT_VERSION: '6' } });
    expect(error.message).toBe(
      'invalid configuration: mqtt.version: expected 4 or 5, got "6" (from M2M_BRIDGE_MQTT_VERSION)',
    );
  });

  it('lists several errors at once, with file positions', () => {
    const path = writeConfig(
      [
        'serial:',
        '  baud_rate: fast',
        'mqtt:',
        '  version: 3',
        '  bse_topic: x',
        'modem:',
        '  profile: nokia',
        'extra: 1',
        '',
      ].join('\n'),
    );
    const error = failure({ configPath: path });
    const lines = error.issues.map((issue) => `${issue.key}: ${issue.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'serial.path: required, not set (expected a string)',
        'serial.baud_rate: expected an integer, got "fast"',
        'mqtt.version: expected 4 or 5, got "3"',
        'mqtt.bse_topic: unknown key (did you mean mqtt.base_topic?)',
        'modem.profile: expected one of auto, generic, quectel, simcom, ublox, telit, huawei, got "nokia"',
        'extra: unknown key',
      ]),
    );
    expect(error.issues).toHaveLength(6);
    expect(error.message).toContain(`mqtt.version: expected 4 or 5, got "3" (${path}:4:3)`);
    expect(error.message.split('\n')[0]).toBe('invalid configuration (6 problems):');
  });

  it('gives the line and column of a YAML syntax error', () => {
    const path = writeConfig('serial:\n  path: /dev/x\nmqtt:\n  url: [unclosed\n');
    const error = failure({ configPath: path });
    expect(error.issues[0]).toMatchObject({
      key: null,
      origin: { kind: 'file', line: expect.any(Number), col: expect.any(Number) },
    });
    expect(error.message).toMatch(new RegExp(`YAML syntax error: .+ \\(${path}:\\d+:\\d+\\)`));
  });

  it('refuses a duplicated key in YAML rather than silently taking one', () => {
    const error = failure({ configPath: writeConfig('serial:\n  path: /a\n  path: /b\n') });
    expect(error.message).toContain('YAML syntax error');
    expect(error.message).toContain(':3:3)');
  });

  it('names an unknown environment variable in a known section, and ignores other prefixes', () => {
    const error = failure({
      env: { M2M_BRIDGE_SERIAL_PATH: '/dev/x', M2M_BRIDGE_MQTT_PASWORD_FILE: '/p', M2M_BRIDGE_DEBUG: '1' },
    });
    expect(error.issues).toEqual([
      {
        key: 'mqtt.pasword_file',
        message: 'unknown key (did you mean mqtt.password_file?)',
        origin: { kind: 'env', name: 'M2M_BRIDGE_MQTT_PASWORD_FILE' },
      },
    ]);
  });

  it('points at the list a bad list item came from', () => {
    const path = writeConfig('serial:\n  path: /x\ncommands:\n  allowed_senders:\n    - "2936"\n    - {a: 1}\n');
    expect(failure({ configPath: path }).message).toBe(
      `invalid configuration: commands.allowed_senders.1: expected a string, got a mapping (${path}:4:3)`,
    );
  });

  it('refuses an unknown flag, naming it as --set KEY=… unless told how it was typed', () => {
    expect(failure({ flags: { 'serial.path': '/x', 'serial.speed': 1 } }).message).toContain(
      'serial.speed: unknown key (from --set serial.speed=…)',
    );
    expect(
      failure({ flags: { 'serial.path': '/x', 'log.level': 'loud' }, flagNames: { 'log.level': '--log-level' } })
        .message,
    ).toContain('got "loud" (from --log-level)');
  });

  it('checks keys that only make sense together', () => {
    const error = failure({
      flags: {
        'serial.path': '/x',
        'modem.pin': '1234',
        'modem.pin_file': '/p',
        'mqtt.cert': '/c',
        'mqtt.password_file': '/p',
        'wireless.api_key': `SK${'0'.repeat(32)}`,
        'commands.send_retry_initial_seconds': 900,
      },
    });
    const keys = error.issues.map((issue) => issue.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'modem.pin_file',
        'mqtt.key',
        'mqtt.username',
        'wireless.api_secret_file',
        'commands.send_retry_initial_seconds',
      ]),
    );
  });

  it('refuses a password inside the broker URL', () => {
    const error = failure({ flags: { 'serial.path': '/x', 'mqtt.url': 'mqtt://user:hunter2@broker:1883' } });
    expect(error.message).toContain('mqtt.url: must not carry a password');
    expect(error.message).not.toContain('hunter2');
  });

  it('validates formats: PIN digits, SIDs, base topic, URLs', () => {
    const error = failure({
      flags: {
        'serial.path': '/x',
        'modem.pin': '12ab',
        'wireless.account_sid': 'AC123',
        'mqtt.base_topic': 'm2m/#',
        'mqtt.url': 'localhost:1883',
      },
    });
    expect(error.issues.map((issue) => `${issue.key}: ${issue.message}`)).toEqual(
      expect.arrayContaining([
        'modem.pin: expected 4 to 8 digits (quote it in YAML: "0000"), got "12ab"',
        'wireless.account_sid: expected AC followed by 32 hex digits, got "AC123"',
        'mqtt.base_topic: expected topic levels without wildcards or empty levels, got "m2m/#"',
        'mqtt.url: expected a URL like mqtt://host:1883 or mqtts://host:8883, got "localhost:1883"',
      ]),
    );
  });

  it('says when an explicit config file is missing', () => {
    const error = failure({ configPath: join(dir, 'nope.yaml') });
    expect(error.message).toBe(`invalid configuration: config file ${join(dir, 'nope.yaml')} does not exist`);
  });
});
