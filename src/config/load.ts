import { existsSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import type * as z from 'zod';
import { ConfigError, type ConfigIssue } from './errors.js';
import { readGuardedFile, readSecret } from './files.js';
import { instanceDefaults } from './instance.js';
import { CONFIG_KEYS, coerceValue, configKey } from './keys.js';
import { type BridgeConfig, configSchema } from './schema.js';
import { type FlatValues, fromEnv, fromFlags, fromYaml } from './sources.js';

export const DEFAULT_CONFIG_PATH = '/etc/m2m-bridge/config.yaml';

export interface LoadConfigOptions {
  /** `--config FILE`: must exist. When absent, DEFAULT_CONFIG_PATH is used if it exists. */
  configPath?: string | null;
  /** Environment to read `M2M_BRIDGE_*` from; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Flags from the CLI as dotted keys (`{"serial.path": "/dev/ttyUSB2"}`); they override everything. */
  flags?: Readonly<Record<string, unknown>>;
  /** How each flag was typed (`{"serial.path": "--serial-path"}`), for error origins; default `--set KEY=…`. */
  flagNames?: Readonly<Record<string, string>>;
  /** For the default mqtt.client_id; default os.hostname(). */
  hostname?: string;
  /** Where to look when configPath is absent; default DEFAULT_CONFIG_PATH (tests point it elsewhere). */
  defaultConfigPath?: string;
}

/** Secrets read from their files at load time. Never log this object; `redactedConfig` is what logs see. */
export interface BridgeSecrets {
  modem_pin: string | null;
  mqtt_password: string | null;
  /** PEM private key (mqtt.key). */
  mqtt_key: string | null;
  wireless_auth_token: string | null;
  wireless_api_secret: string | null;
  /** KORE API client secret (wireless.client_secret_file). */
  wireless_client_secret: string | null;
}

export interface LoadedConfig {
  config: BridgeConfig;
  secrets: BridgeSecrets;
  /** PEM text of mqtt.ca and mqtt.cert (not secret). */
  tls: { ca: string | null; cert: string | null };
  /** Things to log at warn level: secrets readable by others, no config file. */
  warnings: string[];
  /** The config file read, or null when none was. */
  file: string | null;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

function orList(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === 'string' ? v : String(v)));
  return shown.length <= 2 ? shown.join(' or ') : `one of ${shown.join(', ')}`;
}

/** Whether the key at `path` (section, key) takes fractions (kind `number`, not `integer`). */
function fractionAllowed(path: readonly PropertyKey[]): boolean {
  return CONFIG_KEYS.some((entry) => entry.key === path.join('.') && entry.kind === 'number');
}

/** One zod issue as "expected …, got …" in the words a config user needs. */
function describeIssue(issue: z.core.$ZodIssue & { input?: unknown }): string {
  const got = `got ${show(issue.input)}`;
  switch (issue.code) {
    case 'invalid_type': {
      // Nearly every number in this config is an integer; say so rather than zod's "a number".
      const expected = issue.expected === 'number' && !fractionAllowed(issue.path) ? 'int' : issue.expected;
      if (issue.input === undefined) return `required, not set (expected ${TYPE_NAMES[expected] ?? expected})`;
      return `expected ${TYPE_NAMES[expected] ?? expected}, ${got}`;
    }
    case 'invalid_value':
      return `expected ${orList(issue.values)}, ${got}`;
    case 'too_small':
      if (issue.origin === 'string') return `expected a non-empty string, ${got}`;
      return `expected at least ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `expected at most ${String(issue.maximum)} characters`
        : `expected at most ${String(issue.maximum)}, ${got}`;
    case 'invalid_format':
      return issue.input === undefined ? issue.message : `${issue.message}, ${got}`;
    default:
      return issue.message;
  }
}

function nest(values: FlatValues): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [key, raw] of values) {
    const entry = configKey(key)!;
    out[entry.section] ??= {};
    out[entry.section]![entry.name] = coerceValue(entry, raw.value);
  }
  return out;
}

function defaultClientId(host: string): string {
  const clean =
    host
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'host';
  return `m2m-bridge-${clean}`.slice(0, 64);
}

/**
 * YAML file → environment → flags → one validated config, with secrets read from their files. Throws ConfigError
 * listing every problem (each names the key, what is expected and where the value came from).
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const issues: ConfigIssue[] = [];
  const warnings: string[] = [];
  const explicit = options.configPath ?? null;
  const defaultPath = options.defaultConfigPath ?? DEFAULT_CONFIG_PATH;
  const file = explicit ?? (existsSync(defaultPath) ? defaultPath : null);
  if (file === null) warnings.push(`no config file at ${defaultPath}; using the environment, flags and defaults`);

  let fileValues: FlatValues = new Map();
  let fileReadableByOthers = false;
  if (file !== null) {
    const read = readGuardedFile(file, null, { secret: true });
    if (!read.ok) throw new ConfigError([{ ...read.issue, message: `config file ${read.issue.message}` }]);
    fileReadableByOthers = read.warning !== null;
    const parsed = fromYaml(read.text, file);
    if (parsed.issues.some((issue) => issue.key === null)) throw new ConfigError(parsed.issues);
    issues.push(...parsed.issues);
    fileValues = parsed.values;
  }
  const env = fromEnv(options.env ?? process.env);
  const flags = fromFlags(options.flags ?? {}, options.flagNames);
  issues.push(...env.issues, ...flags.issues);
  const merged: FlatValues = new Map([...fileValues, ...env.values, ...flags.values]);

  const result = configSchema.safeParse(nest(merged), { reportInput: true });
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || null;
      // A list item (commands.allowed_senders.1) came from where its key did.
      const origin = merged.get(issue.path.slice(0, 2).map(String).join('.'))?.origin ?? null;
      issues.push({ key, message: describeIssue(issue), origin });
    }
  }
  if (issues.length > 0 || !result.success) throw new ConfigError(issues);

  const config = result.data as BridgeConfig;
  const hostClientId = defaultClientId(options.hostname ?? osHostname());
  if (config.instance.name !== undefined) {
    // A named instance: its own prefix, session and journal unless the config says otherwise (config/instance.ts).
    const named = instanceDefaults(config.instance.name, hostClientId);
    if (!merged.has('mqtt.base_topic')) config.mqtt.base_topic = named.base_topic;
    if (!merged.has('store.path')) config.store.path = named.store_path;
    config.mqtt.client_id ??= named.client_id;
  }
  config.mqtt.client_id ??= hostClientId;
  if (config.modem.pin !== undefined && fileReadableByOthers && merged.get('modem.pin')?.origin.kind === 'file') {
    warnings.push(
      `modem.pin: ${file} holds the SIM PIN and is readable by every user; use modem.pin_file or chmod o-r ${file}`,
    );
  }

  const secret = (path: string | undefined, key: string): string | null => {
    if (path === undefined) return null;
    const read = readSecret(path, key);
    if ('issue' in read) {
      issues.push(read.issue);
      return null;
    }
    if (read.warning) warnings.push(read.warning);
    return read.value;
  };
  const plain = (path: string | undefined, key: string): string | null => {
    if (path === undefined) return null;
    const read = readGuardedFile(path, key, { secret: false });
    if (read.ok) return read.text;
    issues.push(read.issue);
    return null;
  };
  const secrets: BridgeSecrets = {
    modem_pin: config.modem.pin ?? secret(config.modem.pin_file, 'modem.pin_file'),
    mqtt_password: secret(config.mqtt.password_file, 'mqtt.password_file'),
    mqtt_key: secret(config.mqtt.key, 'mqtt.key'),
    wireless_auth_token: secret(config.wireless.auth_token_file, 'wireless.auth_token_file'),
    wireless_api_secret: secret(config.wireless.api_secret_file, 'wireless.api_secret_file'),
    wireless_client_secret: secret(config.wireless.client_secret_file, 'wireless.client_secret_file'),
  };
  const tls = { ca: plain(config.mqtt.ca, 'mqtt.ca'), cert: plain(config.mqtt.cert, 'mqtt.cert') };
  if (secrets.modem_pin !== null && !/^\d{4,8}$/.test(secrets.modem_pin)) {
    issues.push({ key: 'modem.pin_file', message: 'expected the file to hold 4 to 8 digits', origin: null });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return { config, secrets, tls, warnings, file };
}

/** Every key with its environment variable, for help texts. */
export const ENVIRONMENT_VARIABLES = CONFIG_KEYS.map((entry) => entry.env);
