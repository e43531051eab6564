import type { MqttClient } from 'mqtt';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { type BrokerTarget, brokerTarget, connectOnce } from './daemon-request.js';

/**
 * `m2m-bridge mqtt sub|pub`: a small MQTT client so the demo and a technician need nothing else on the gateway (`npx
 * mqtt` fetches from the network, and a global install does not reliably put the mqtt package's own CLI on PATH).
 * Flags follow mosquitto_sub/mosquitto_pub where they can (-t, -m, -q, -r, -v, -C, -W); `-h` stays help, so the broker
 * is `--mqtt-url` (or the daemon's `--config`/`--instance`). This module, and with it the mqtt library, is loaded only
 * when the command runs (registry.ts), never by `run`.
 */
const usage = `Usage: m2m-bridge mqtt sub -t TOPIC [-t TOPIC …] [-v] [-C COUNT] [-W SECONDS] [--json] [broker]
       m2m-bridge mqtt pub -t TOPIC -m MESSAGE [-q 0|1|2] [-r] [broker]

sub  subscribes (QoS 1) and prints each message's payload on a line; -v prints "TOPIC PAYLOAD", --json one
     {"topic","payload","retain"} object per line. Runs until Ctrl-C, COUNT messages (-C) or SECONDS (-W).
pub  publishes MESSAGE once and waits for the broker's acknowledgement (default QoS 1, as the bridge expects on
     <base>/command/send); -r retains it.

Broker (default mqtt://127.0.0.1:1883, or the broker of /etc/m2m-bridge/config.yaml when it exists):
  --mqtt-url URL     the broker (anonymous)
  --config FILE      the daemon's YAML config: the broker URL, credentials and TLS come from it
  --instance NAME    the config of one modem's daemon: /etc/m2m-bridge/NAME.yaml
  --timeout SECONDS  how long to wait for the broker (default 5)

Exit codes: 0 done, 1 the broker is unreachable or refused, or -C COUNT messages did not come within -W SECONDS,
2 bad usage.
`;

const BROKER = {
  'mqtt-url': { type: 'string' },
  config: { type: 'string' },
  instance: { type: 'string' },
  timeout: { type: 'string' },
} as const;

function connectTimeoutMs(value: string | undefined): number {
  const seconds = value === undefined ? 5 : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 300)
    throw new UsageError(`--timeout: expected seconds between 0 and 300, got "${value}"`);
  return Math.round(seconds * 1000);
}

function positiveNumber(flag: string, value: string | undefined, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new UsageError(`${flag}: expected a ${integer ? 'whole number' : 'number'} above 0, got "${value}"`);
  return n;
}

async function connect(
  values: { 'mqtt-url'?: string; config?: string; instance?: string; timeout?: string },
  io: CliIo,
) {
  const deadline = connectTimeoutMs(values.timeout);
  const target: BrokerTarget = brokerTarget(values, io);
  return { target, client: await connectOnce(target, deadline, 'm2m-bridge-mqtt') };
}

async function subscribe(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...BROKER,
      topic: { type: 'string', short: 't', multiple: true },
      verbose: { type: 'boolean', short: 'v' },
      count: { type: 'string', short: 'C' },
      'wait-seconds': { type: 'string', short: 'W' },
      json: { type: 'boolean' },
    },
    false,
  );
  const topics = values.topic ?? [];
  if (topics.length === 0) throw new UsageError('give at least one topic filter with -t (e.g. -t "m2m/#")');
  const count = positiveNumber('-C', values.count, true);
  const seconds = positiveNumber('-W', values['wait-seconds'], false);
  const { client } = await connect(values, io);
  let received = 0;
  const outcome = await new Promise<number>((resolve) => {
    const finish = (code: number) => {
      clearTimeout(timer);
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      resolve(code);
    };
    const interrupted = () => finish(0);
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const timer =
      seconds === undefined
        ? undefined
        : setTimeout(() => {
            if (count !== undefined) {
              io.stderr.write(`m2m-bridge mqtt sub: ${received} of ${count} messages within ${seconds} s\n`);
              finish(1);
            } else finish(0);
          }, seconds * 1000);
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      if (values.json) writeJsonLine(io.stdout, { topic, payload: text, retain: packet.retain });
      else io.stdout.write(values.verbose ? `${topic} ${text}\n` : `${text}\n`);
      received += 1;
      if (count !== undefined && received >= count) finish(0);
    });
    client.on('close', () => {
      io.stderr.write('m2m-bridge mqtt sub: the broker closed the connection\n');
      finish(1);
    });
    client.subscribeAsync(topics, { qos: 1 }).then(
      (grants) => {
        const refused = grants.filter((grant) => grant.qos === 128).map((grant) => grant.topic);
        if (refused.length > 0) {
          io.stderr.write(`m2m-bridge mqtt sub: the broker refused the subscription to ${refused.join(', ')}\n`);
          finish(1);
        }
      },
      (error: Error) => {
        io.stderr.write(`m2m-bridge mqtt sub: subscribe failed: ${error.message}\n`);
        finish(1);
      },
    );
  });
  await end(client);
  return outcome;
}

async function publish(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...BROKER,
      topic: { type: 'string', short: 't' },
      message: { type: 'string', short: 'm' },
      qos: { type: 'string', short: 'q' },
      retain: { type: 'boolean', short: 'r' },
    },
    false,
  );
  if (!values.topic) throw new UsageError('give the topic with -t');
  if (/[#+]/.test(values.topic))
    throw new UsageError(`-t: a topic to publish on has no wildcards, got "${values.topic}"`);
  if (values.message === undefined) throw new UsageError('give the message with -m (quote it)');
  const qos = values.qos === undefined ? 1 : Number(values.qos);
  if (qos !== 0 && qos !== 1 && qos !== 2) throw new UsageError(`-q: expected 0, 1 or 2, got "${values.qos}"`);
  const { client } = await connect(values, io);
  try {
    await client.publishAsync(values.topic, values.message, { qos, retain: values.retain ?? false });
    return 0;
  } catch (error) {
    io.stderr.write(`m2m-bridge mqtt pub: publish failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await end(client);
  }
}

async function end(client: MqttClient): Promise<void> {
  client.removeAllListeners('close');
  await client.endAsync(false).catch(() => {});
}

export const command: CliCommand = {
  usage,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === 'sub') return subscribe(rest, io);
    if (action === 'pub') return publish(rest, io);
    throw new UsageError(action === undefined ? 'say sub or pub' : `unknown action '${action}' (sub or pub)`);
  },
};
