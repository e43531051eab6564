import * as z from 'zod';
import { INSTANCE_NAME_PATTERN } from './instance.js';
import { ipCommandRules } from './ip-command-rules.js';
import { LOG_LEVELS } from './log-levels.js';
import { wirelessRules } from './wireless-rules.js';

export { LOG_LEVELS };

/**
 * The configuration contract (ARCHITECTURE.md, "Config"): every key, its type, default and description. The
 * descriptions feed `m2m-bridge config schema` (JSON Schema) and the README's reference table, so they are the
 * documentation. Unknown keys are errors (strict objects). Sections use `prefault({})` so a missing section still gets
 * its inner defaults and a missing required key is reported by its own name.
 */

const SECONDS = (what: string, fallback: number, min: number, max: number) =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .default(fallback)
    .describe(`${what} (seconds, ${min}..${max}). Default ${fallback}.`);

const path = (what: string) => z.string().min(1).describe(what);

export const MODEM_PROFILES = ['auto', 'generic', 'quectel', 'simcom', 'ublox', 'telit', 'huawei'] as const;
export const MODEM_STORAGES = ['auto', 'SM', 'ME', 'MT'] as const;
export const PRODUCTS = ['programmable-wireless', 'super-sim'] as const;

// The pattern lives with the instance defaults, which `run` needs without loading zod (config/load-isolated.ts).
export { INSTANCE_NAME_PATTERN };

const instance = z
  .strictObject({
    name: z
      .string()
      .regex(INSTANCE_NAME_PATTERN, {
        error: 'expected 1 to 32 lower-case letters, digits, - and _ (starting with a letter or digit)',
      })
      .optional()
      .describe(
        'Name of this daemon, one per modem (lte1, backup). Sets the defaults of mqtt.base_topic (m2m/<name>), mqtt.client_id and store.path, and is sent as "instance" in command payloads. Default: --instance NAME, else none (one modem, base topic m2m).',
      ),
  })
  .prefault({});

const serial = z
  .strictObject({
    path: path("Serial device of the modem's AT port; prefer /dev/serial/by-id/… (ttyUSBn numbers change). Required."),
    baud_rate: z.number().int().min(300).max(4_000_000).default(115200).describe('Baud rate. Default 115200.'),
  })
  // Parsed like an empty section when absent, so the error says "serial.path: required" (not "serial: required").
  .prefault({} as { path: string });

const modem = z
  .strictObject({
    pin: z
      .string()
      .regex(/^\d{4,8}$/, { error: 'expected 4 to 8 digits (quote it in YAML: "0000")' })
      .optional()
      .describe('SIM PIN, if the SIM asks for one. Prefer pin_file. Default: none.'),
    pin_file: path('File holding the SIM PIN (read at start; must not be world-writable). Default: none.').optional(),
    profile: z
      .enum(MODEM_PROFILES)
      .default('auto')
      .describe('Vendor quirks to apply; auto reads AT+CGMI. Default auto.'),
    storage: z
      .enum(MODEM_STORAGES)
      .default('auto')
      .describe('SMS storage for AT+CPMS; auto keeps what the modem uses (Quectel: ME). Default auto.'),
    sweep_interval_seconds: SECONDS(
      'How often to sweep the SMS storage after start, re-init and anything odd (a +CMTI that was not, a full storage)',
      60,
      5,
      3600,
    ),
    idle_sweep_interval_seconds: SECONDS(
      'How often to sweep once sweeps keep finding nothing +CMTI did not announce (taken as sweep_interval_seconds if lower)',
      600,
      5,
      86400,
    ),
    status_interval_seconds: SECONDS(
      'How often to poll operator, registration and signal (registration also arrives by URC)',
      300,
      5,
      86400,
    ),
    // Fractions are allowed so a test can cover many rechecks in seconds; deployments keep the defaults.
    sim_recheck_seconds: z
      .number()
      .min(0.05)
      .max(3600)
      .default(30)
      .describe(
        'First recheck of a blocked SIM (locked, missing, failed), doubling up to sim_recheck_max_seconds (seconds, 0.05..3600). Default 30.',
      ),
    sim_recheck_max_seconds: z
      .number()
      .min(0.05)
      .max(86400)
      .default(600)
      .describe('Longest pause between two rechecks of a blocked SIM (seconds, 0.05..86400). Default 600.'),
  })
  .prefault({});

const commands = z
  .strictObject({
    product: z
      .enum(PRODUCTS)
      .default('programmable-wireless')
      .describe(
        'programmable-wireless (short code 2936, SIDs DC…) or super-sim (000, HC…). Default programmable-wireless.',
      ),
    allowed_senders: z
      .array(z.string().min(1))
      .optional()
      .describe("Senders whose SMS become commands, matched by digits. Default: the product's short code."),
    publish_rejected: z
      .boolean()
      .default(true)
      .describe('Publish SMS from other senders on sms/rejected (they are journaled either way). Default true.'),
    allow_multipart: z
      .boolean()
      .default(false)
      .describe(
        'Split replies longer than one SMS into concatenated parts (the cloud may truncate them). Default false.',
      ),
    max_reply_parts: z
      .number()
      .int()
      .min(1)
      .max(255)
      .default(10)
      .describe('Most parts one reply may take. Default 10.'),
    multipart_timeout_seconds: SECONDS('Publish an incomplete multipart command as partial after', 300, 10, 86400),
    status_reports: z
      .boolean()
      .default(true)
      .describe('Ask for delivery reports so replies reach delivered. Default true.'),
    send_max_attempts: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(5)
      .describe('Send attempts per reply for transient modem errors before it fails. Default 5.'),
    send_retry_initial_seconds: SECONDS('First retry delay; doubles per attempt', 10, 1, 3600),
    send_retry_max_seconds: SECONDS('Longest retry delay', 600, 1, 86400),
    resend_interrupted: z
      .boolean()
      .default(false)
      .describe(
        'Resend a reply that was mid-send when the bridge died (may duplicate it); false fails it. Default false.',
      ),
  })
  .prefault({});

const mqtt = z
  .strictObject({
    url: z
      .string()
      .regex(/^(mqtts?|wss?|tcp|ssl):\/\/[^\s/]+/, {
        error: 'expected a URL like mqtt://host:1883 or mqtts://host:8883',
      })
      .default('mqtt://127.0.0.1:1883')
      .describe('Broker URL (mqtt, mqtts, ws, wss). Default mqtt://127.0.0.1:1883.'),
    base_topic: z
      .string()
      .regex(/^[^#+/\u0000]+(\/[^#+/\u0000]+)*$/, { error: 'expected topic levels without wildcards or empty levels' })
      .default('m2m')
      .describe('Prefix of every topic. Default m2m, or m2m/<instance.name> for a named instance.'),
    client_id: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        'MQTT client id, stable so the persistent session survives restarts; unique per instance. Default m2m-bridge-<hostname>, or m2m-bridge-<hostname>-<instance.name>.',
      ),
    username: z.string().min(1).optional().describe('Broker user name. Default: none.'),
    password_file: path('File holding the broker password. Default: none.').optional(),
    ca: path('PEM file of the CA that signed the broker certificate. Default: system CAs.').optional(),
    cert: path('PEM client certificate (with key). Default: none.').optional(),
    key: path('PEM private key of the client certificate (secret). Default: none.').optional(),
    version: z.literal([4, 5]).default(5).describe('MQTT protocol: 4 (3.1.1) or 5. Default 5.'),
    keepalive_seconds: SECONDS('MQTT keep-alive', 60, 5, 3600),
  })
  .prefault({});

const store = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .default('/var/lib/m2m-bridge/journal.db')
      .describe(
        'Journal file (SQLite); its directory must exist and be writable; one per instance. Default /var/lib/m2m-bridge/journal.db, or /var/lib/m2m-bridge/<instance.name>/journal.db.',
      ),
    retention_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(30)
      .describe('Finished records older than this are pruned. Default 30.'),
    max_size_mb: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(50)
      .describe(
        'Soft cap on the journal (MB): the oldest finished records are pruned beyond it; unsent work never is. Default 50.',
      ),
  })
  .prefault({});

const metrics = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Serve /metrics (Prometheus text format) and /healthz on 127.0.0.1. Default false.'),
    port: z
      .number()
      .int()
      .min(1)
      .max(65_535)
      .default(9464)
      .describe('TCP port of /metrics and /healthz, bound to 127.0.0.1 only. Default 9464.'),
  })
  .prefault({});

const home_assistant = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Publish Home Assistant MQTT discovery entries (retained) for the modem and commands. Default false.'),
    discovery_prefix: z
      .string()
      .regex(/^[^#+/\u0000]+(\/[^#+/\u0000]+)*$/, { error: 'expected topic levels without wildcards or empty levels' })
      .default('homeassistant')
      .describe('Home Assistant discovery prefix. Default homeassistant.'),
    node_id: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, { error: 'expected letters, digits, _ and - only' })
      .optional()
      .describe(
        'Node id in discovery topics (letters, digits, _ -). Default: mqtt.client_id with other characters as _.',
      ),
  })
  .prefault({});

const httpUrl = z.string().regex(/^https?:\/\/\S+$/, { error: 'expected an http(s) URL' });

/**
 * Two forms of credentials (README, "Wireless API credentials"): Twilio's HTTP Basic (account_sid + auth_token_file,
 * or api_key + api_secret_file) and KORE's OAuth 2.0 client credentials (client_id + client_secret_file, token_url).
 * The base URLs default to the hosts of the form in use, so they have no static default here (src/cli resolves them).
 */
const wireless = z
  .strictObject({
    base_url: httpUrl
      .optional()
      .describe(
        'Programmable Wireless API base URL. Default https://wireless.twilio.com/v1, or https://programmable-wireless.api.korewireless.com/v1 with client_id.',
      ),
    super_sim_base_url: httpUrl
      .optional()
      .describe(
        'Super SIM API base URL. Default https://supersim.twilio.com/v1, or https://supersim.api.korewireless.com/v1 with client_id.',
      ),
    account_sid: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, { error: 'expected AC followed by 32 hex digits' })
      .optional()
      .describe('Account SID (AC…), used with auth_token_file (Twilio form). Default: none.'),
    auth_token_file: path('File holding the Auth Token. Default: none.').optional(),
    api_key: z
      .string()
      .regex(/^SK[0-9a-fA-F]{32}$/, { error: 'expected SK followed by 32 hex digits' })
      .optional()
      .describe('API key SID (SK…), instead of the Auth Token. Default: none.'),
    api_secret_file: path('File holding the API key secret. Default: none.').optional(),
    client_id: z
      .string()
      .regex(/^[\x21-\x7e]{1,200}$/, { error: 'expected printable characters without spaces' })
      .optional()
      .describe('KORE API client id, used with client_secret_file (OAuth 2.0 client credentials). Default: none.'),
    client_secret_file: path('File holding the KORE API client secret. Default: none.').optional(),
    token_url: httpUrl
      .optional()
      .describe(
        'OAuth 2.0 token endpoint for client_id. Default https://api.korewireless.com/api-services/v1/auth/token.',
      ),
  })
  .prefault({});

const ipv4 = z
  .string()
  .regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, { error: 'expected an IPv4 address' });
const port = (what: string, fallback: number) =>
  z.number().int().min(1).max(65_535).default(fallback).describe(`${what} (1..65535). Default ${fallback}.`);

/** Super SIM IP Commands over UDP (README, "IP Commands"). Off by default; wireless-rules.ts has the cross-field rules. */
const ip_commands = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe('Take Super SIM IP Commands (UDP over the cellular data link) besides SMS. Default false.'),
    interface: z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,15}$/, { error: 'expected a network interface name like wwan0' })
      .optional()
      .describe('Bind to this network interface (its IPv4 address), e.g. wwan0. Set this or listen_address.'),
    listen_address: ipv4
      .optional()
      .describe('Bind to this local IPv4 address instead (0.0.0.0: every interface, only if asked). Default: none.'),
    listen_port: port('UDP port IP Commands arrive on (the DevicePort the cloud sends to)', 6969),
    mo_address: ipv4
      .default('100.64.0.1')
      .describe("Where replies go: the cloud's IP Commands address. Default 100.64.0.1."),
    mo_port: port('UDP port of mo_address', 6969),
    allowed_sources: z
      .array(ipv4)
      .default(['100.64.0.1'])
      .describe('Source addresses whose datagrams are commands; others are dropped and counted. Default 100.64.0.1.'),
    payload_mode: z
      .enum(['text', 'binary'])
      .default('text')
      .describe('Publish valid UTF-8 as text (else base64 binary), or always binary. Default text.'),
  })
  .prefault({});

const log = z
  .strictObject({
    level: z.enum(LOG_LEVELS).default('info').describe('Log level. Default info.'),
  })
  .prefault({});

function crossFieldRules(config: z.output<typeof shape>, ctx: z.RefinementCtx): void {
  const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (config.modem.pin !== undefined && config.modem.pin_file !== undefined) {
    issue(['modem', 'pin_file'], 'set modem.pin or modem.pin_file, not both');
  }
  if ((config.mqtt.cert === undefined) !== (config.mqtt.key === undefined)) {
    issue(['mqtt', config.mqtt.cert === undefined ? 'cert' : 'key'], 'mqtt.cert and mqtt.key go together');
  }
  if (config.mqtt.password_file !== undefined && config.mqtt.username === undefined) {
    issue(['mqtt', 'username'], 'required when mqtt.password_file is set');
  }
  if (/^[a-z]+:\/\/[^/@]*:[^/@]*@/i.test(config.mqtt.url)) {
    issue(
      ['mqtt', 'url'],
      'must not carry a password (secrets stay out of logs); use mqtt.username and mqtt.password_file',
    );
  }
  if (config.modem.sim_recheck_seconds > config.modem.sim_recheck_max_seconds) {
    issue(['modem', 'sim_recheck_seconds'], 'must not exceed modem.sim_recheck_max_seconds');
  }
  if (config.commands.send_retry_initial_seconds > config.commands.send_retry_max_seconds) {
    issue(['commands', 'send_retry_initial_seconds'], 'must not exceed commands.send_retry_max_seconds');
  }
  wirelessRules(config.wireless, issue);
  ipCommandRules(config.ip_commands, issue);
}

const shape = z.strictObject({
  serial,
  modem,
  commands,
  mqtt,
  store,
  wireless,
  log,
  metrics,
  home_assistant,
  ip_commands,
  instance,
});

export const configSchema = shape.superRefine(crossFieldRules);

/** The validated configuration, defaults applied (`mqtt.client_id` is filled in by the loader). */
export type BridgeConfig = z.output<typeof shape> & { mqtt: { client_id: string } };

/** The sections and their keys, for the environment mapping and the reference table. */
export const SECTIONS = shape.shape;
export type SectionName = keyof typeof SECTIONS;
