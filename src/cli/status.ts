import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { topicsFor } from '../bridge/topics.js';
import { ConfigError, DEFAULT_CONFIG_PATH, loadConfig } from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';
import { formatStatus } from './status-format.js';

const usage = `Usage: m2m-bridge status [--config FILE | --instance NAME | --mqtt-url URL [--base-topic T]] [--timeout SECONDS] [--json]

Asks the running daemon, over MQTT (<base>/bridge/request/status → <base>/bridge/response/status), for its state:
daemon and modem state, identity (IMEI, ICCID, IMSI), the serving cell (MCC/MNC, LAC/TAC, cell id, band, EARFCN,
RSRP/RSRQ/SINR: read from the modem for this answer, "not reported" where the modem does not say), the SMS centre,
queue depths, journal disk use, the last errors, and where the config, serial port and journal are.

Options:
  --config FILE      the daemon's YAML config: broker URL, credentials, TLS and base topic come from it
  --instance NAME    the daemon of one modem: its config /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it)
                     (default ${DEFAULT_CONFIG_PATH} when it exists)
  --mqtt-url URL     the broker, without a config (anonymous; default mqtt://127.0.0.1:1883)
  --base-topic T     mqtt.base_topic (default m2m)
  --timeout SECONDS  how long to wait for the broker and the daemon (default 5)
  --json             the daemon's answer as one JSON line

Exit codes: 0 the daemon answered, 1 it did not (not running, or the broker is unreachable: the message says which),
2 bad usage.
`;

interface Target {
  url: string;
  baseTopic: string;
  options: IClientOptions;
}

function target(
  values: { config?: string; instance?: string; 'mqtt-url'?: string; 'base-topic'?: string },
  io: CliIo,
): Target {
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
  const { config, secrets, tls } = loadConfig({
    configPath,
    env: io.env,
    flags,
    flagNames: { 'mqtt.base_topic': '--base-topic', 'instance.name': '--instance' },
  });
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
function connect(t: Target, deadlineMs: number): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(t.url, {
      ...t.options,
      clientId: `m2m-bridge-status-${randomUUID().slice(0, 8)}`,
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
      reject(new Error(`broker unreachable at ${t.url}: ${reason}`));
    }
    timer = setTimeout(() => fail(`no connection within ${deadlineMs} ms`), deadlineMs);
    client.once('connect', handlers.connect);
    client.once('error', handlers.error);
    client.once('close', handlers.close);
  });
}

interface Answer {
  response: { status: string; data: unknown; error: string | null } | null;
  /** The retained bridge/state, to say why nobody answered. */
  state: string | null;
}

async function ask(client: MqttClient, baseTopic: string, deadlineMs: number): Promise<Answer> {
  const topics = topicsFor(baseTopic);
  const transaction = randomUUID();
  const answer: Answer = { response: null, state: null };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(answer), deadlineMs);
    client.on('message', (topic, payload) => {
      const text = payload.toString('utf8');
      if (topic === topics.bridgeState) {
        answer.state = text;
        return;
      }
      try {
        const parsed = JSON.parse(text) as Answer['response'] & { transaction?: string };
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
      .subscribeAsync([topics.response('status'), topics.bridgeState], { qos: 1 })
      .then(() => client.publishAsync(topics.request('status'), JSON.stringify({ transaction }), { qos: 1 }))
      .catch((error: unknown) => {
        clearTimeout(timer);
        reject(error);
      });
  });
}

function noAnswer(t: Target, state: string | null, seconds: number): string {
  const base = `no answer from the daemon on ${t.baseTopic}/bridge/request/status within ${seconds} s (broker ${t.url} is reachable)`;
  if (state === null)
    return `${base}: no daemon has ever connected with base topic "${t.baseTopic}" (no retained bridge/state)`;
  if (state.includes('"offline"')) return `${base}: the daemon is not running (bridge/state is offline)`;
  return `${base}: bridge/state says ${state}, but the daemon did not respond (hung, or an old version without status)`;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      'mqtt-url': { type: 'string' },
      'base-topic': { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    },
    false,
  );
  const seconds = values.timeout === undefined ? 5 : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300)
    throw new UsageError(`--timeout: expected seconds between 0 and 300, got "${values.timeout}"`);
  let t: Target;
  try {
    t = target(values, io);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`m2m-bridge status: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const deadline = Math.round(seconds * 1000);
  const started = Date.now();
  let client: MqttClient;
  try {
    client = await connect(t, deadline);
  } catch (error) {
    io.stderr.write(`m2m-bridge status: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    const answer = await ask(client, t.baseTopic, Math.max(500, deadline - (Date.now() - started)));
    if (!answer.response) {
      io.stderr.write(`m2m-bridge status: ${noAnswer(t, answer.state, seconds)}\n`);
      return 1;
    }
    if (answer.response.status !== 'ok') {
      io.stderr.write(`m2m-bridge status: the daemon answered with an error: ${answer.response.error}\n`);
      return 1;
    }
    if (values.json) writeJsonLine(io.stdout, answer.response.data);
    else io.stdout.write(formatStatus(answer.response.data as Record<string, unknown>));
    return 0;
  } finally {
    await client.endAsync(true).catch(() => {});
  }
}

export const command: CliCommand = {
  usage,
  run,
};
