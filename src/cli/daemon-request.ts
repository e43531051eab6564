import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { topicsFor } from '../bridge/topics.js';
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from '../config/index.js';
import { type CliIo, UsageError } from './command.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';

/**
 * How the CLI reaches the running daemon: over the broker, with `bridge/request/<action>` → `bridge/response/<action>`
 * (README, "The MQTT contract"). Shared by `status`, `log-level`, `restart` and doctor's end-to-end check, so they
 * find the broker, credentials and base topic the same way the daemon does.
 */
export interface BrokerTarget {
  url: string;
  baseTopic: string;
  options: IClientOptions;
}

/** The flags every command that talks to the daemon takes. */
export const BROKER_OPTIONS = {
  config: { type: 'string' },
  ...INSTANCE_OPTION,
  'mqtt-url': { type: 'string' },
  'base-topic': { type: 'string' },
  timeout: { type: 'string' },
} as const;

export const BROKER_USAGE = `  --config FILE      the daemon's YAML config: broker URL, credentials, TLS and base topic come from it
  --instance NAME    the daemon of one modem: its config /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it)
                     (default ${DEFAULT_CONFIG_PATH} when it exists)
  --mqtt-url URL     the broker, without a config (anonymous; default mqtt://127.0.0.1:1883)
  --base-topic T     mqtt.base_topic (default m2m)
  --timeout SECONDS  how long to wait for the broker and the daemon (default 5)`;

interface BrokerValues {
  config?: string;
  instance?: string;
  'mqtt-url'?: string;
  'base-topic'?: string;
  timeout?: string;
}

/** --timeout in milliseconds (default 5 s), or a usage error naming the flag. */
export function timeoutMs(value: string | undefined, fallbackSeconds = 5): number {
  const seconds = value === undefined ? fallbackSeconds : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300)
    throw new UsageError(`--timeout: expected seconds between 0 and 300, got "${value}"`);
  return Math.round(seconds * 1000);
}

/** The broker and base topic from --config/--instance (or the default config when it exists), else the flags. */
export function brokerTarget(values: BrokerValues, io: CliIo): BrokerTarget {
  const choice = configChoice(values, io.env);
  if (choice.configPath && values['mqtt-url'])
    throw new UsageError('use --config (or --instance) or --mqtt-url, not both');
  const configPath =
    choice.configPath ?? (values['mqtt-url'] || !existsSync(DEFAULT_CONFIG_PATH) ? null : DEFAULT_CONFIG_PATH);
  if (configPath === null) {
    return {
      url: values['mqtt-url'] ?? 'mqtt://127.0.0.1:1883',
      baseTopic: values['base-topic'] ?? 'm2m',
      options: {},
    };
  }
  const flags = { ...choice.flags, ...(values['base-topic'] ? { 'mqtt.base_topic': values['base-topic'] } : {}) };
  return brokerTargetOf(
    loadConfig({
      configPath,
      env: io.env,
      flags,
      flagNames: { 'mqtt.base_topic': '--base-topic', 'instance.name': '--instance' },
    }),
  );
}

/** The broker, credentials, TLS and base topic of a loaded daemon config. */
export function brokerTargetOf(loaded: Pick<LoadedConfig, 'config' | 'secrets' | 'tls'>): BrokerTarget {
  const { config, secrets, tls } = loaded;
  return {
    url: config.mqtt.url,
    baseTopic: config.mqtt.base_topic,
    options: {
      protocolVersion: config.mqtt.version,
      ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
      ...(secrets.mqtt_password !== null ? { password: secrets.mqtt_password } : {}),
      ...(tls.ca ? { ca: tls.ca } : {}),
      ...(tls.cert ? { cert: tls.cert } : {}),
      ...(secrets.mqtt_key ? { key: secrets.mqtt_key } : {}),
    },
  };
}

/** Connects once (no reconnects: a CLI must fail fast), or rejects naming the broker and the reason. */
export function connectOnce(target: BrokerTarget, deadlineMs: number, clientIdPrefix: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(target.url, {
      ...target.options,
      clientId: `${clientIdPrefix}-${randomUUID().slice(0, 8)}`,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: deadlineMs,
    });
    let timer: NodeJS.Timeout | undefined;
    const handlers = {
      connect: () => {
        done();
        // Later errors end the command through its own deadline, not as an unhandled 'error' event.
        client.on('error', () => {});
        resolve(client);
      },
      error: (error: Error) => fail(error.message),
      close: () => fail('connection closed'),
    };
    function done(): void {
      clearTimeout(timer);
      client.off('connect', handlers.connect);
      client.off('error', handlers.error);
      client.off('close', handlers.close);
    }
    function fail(reason: string): void {
      done();
      client.end(true);
      reject(new Error(`broker unreachable at ${target.url}: ${reason}`));
    }
    timer = setTimeout(() => fail(`no connection within ${deadlineMs} ms`), deadlineMs);
    client.once('connect', handlers.connect);
    client.once('error', handlers.error);
    client.once('close', handlers.close);
  });
}

export interface DaemonAnswer {
  response: { status: string; data: unknown; error: string | null } | null;
  /** The retained bridge/state, to say why nobody answered. */
  state: string | null;
}

/** Publishes `bridge/request/<action>` with a fresh transaction and waits for its response (or the deadline). */
function askDaemon(
  client: MqttClient,
  baseTopic: string,
  action: string,
  request: Record<string, unknown>,
  deadlineMs: number,
): Promise<DaemonAnswer> {
  const topics = topicsFor(baseTopic);
  const transaction = randomUUID();
  const answer: DaemonAnswer = { response: null, state: null };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(answer), deadlineMs);
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      if (topic === topics.bridgeState) {
        answer.state = text;
        return;
      }
      if (topic !== topics.response(action)) return;
      try {
        const parsed = JSON.parse(text) as DaemonAnswer['response'] & { transaction?: string };
        if (parsed && parsed.transaction === transaction) {
          clearTimeout(timer);
          answer.response = parsed;
          resolve(answer);
        }
      } catch {
        // Someone else's malformed response: not ours.
      }
    });
    client
      .subscribeAsync([topics.response(action), topics.bridgeState], { qos: 1 })
      .then(() => client.publishAsync(topics.request(action), JSON.stringify({ ...request, transaction }), { qos: 1 }))
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
  });
}

/** Why nobody answered, from the retained bridge/state. */
function noAnswer(target: BrokerTarget, action: string, state: string | null, deadlineMs: number): string {
  const seconds = deadlineMs / 1000;
  const base = `no answer from the daemon on ${target.baseTopic}/bridge/request/${action} within ${seconds} s (broker ${target.url} is reachable)`;
  if (state === null)
    return `${base}: no daemon has ever connected with base topic "${target.baseTopic}" (no retained bridge/state)`;
  if (state.includes('"offline"')) return `${base}: the daemon is not running (bridge/state is offline)`;
  return `${base}: bridge/state says ${state}, but the daemon did not respond (hung, or an old version without ${action})`;
}

/**
 * One request to the daemon from a CLI command: connect, ask, close. Resolves with the response's `data`, or rejects
 * with one line saying what went wrong (broker unreachable, no daemon, the daemon's own error).
 */
export async function requestDaemon(
  target: BrokerTarget,
  action: string,
  request: Record<string, unknown>,
  deadlineMs: number,
): Promise<unknown> {
  const started = Date.now();
  const client = await connectOnce(target, deadlineMs, `m2m-bridge-cli-${action.replace(/\W/g, '-')}`);
  try {
    const answer = await askDaemon(
      client,
      target.baseTopic,
      action,
      request,
      Math.max(500, deadlineMs - (Date.now() - started)),
    );
    if (!answer.response) throw new Error(noAnswer(target, action, answer.state, deadlineMs));
    if (answer.response.status !== 'ok') throw new Error(`the daemon answered with an error: ${answer.response.error}`);
    return answer.response.data;
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}
