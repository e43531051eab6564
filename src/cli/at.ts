import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IClientOptions } from 'mqtt';
import { type LoadedConfig, loadConfig } from '../config/index.js';
import { DaemonSession } from '../console/daemon-session.js';
import { DirectSession, PortBusyError } from '../console/direct-session.js';
import { Repl } from '../console/repl.js';
import type { ConsoleSession } from '../console/session.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError } from './command.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';
import { portOwner } from './port-owner.js';

const usage = `Usage: m2m-bridge at [--port PATH] [--config FILE | --instance NAME] [--via-daemon] [--mqtt-url URL] [--base-topic TOPIC]

An interactive AT console for technicians: line editing and history (~/.m2m-bridge-at-history), unsolicited result
codes shown as they arrive with the time, PDUs decoded under the line, +CME/+CMS ERROR codes explained.

Which way it talks to the modem:
  - It opens the port itself (--port, else serial.path from the config, else /dev/m2m-modem), with the exclusive
    lock serialport takes on Linux.
  - If that lock is held by the daemon it goes through the daemon instead of fighting for the device (held by any
    other program — minicom, ModemManager — it names that program and exits 1): each line becomes an MQTT request <base>/bridge/request/at, answered on <base>/bridge/response/at.
    There only read-only queries are allowed (AT, ATI, AT+CSQ, AT+CESQ, AT+CREG?, AT+CEREG?, AT+COPS?, AT+CPIN?,
    AT+CPMS?, identity, and the modem vendor's own queries such as AT+QENG="servingcell", AT+CPSI?, AT#RFSTS,
    AT+QCCID); stop the daemon (systemctl stop m2m-bridge) for everything else.
  - --via-daemon goes through the daemon without trying the port.

Options:
  --port PATH         the AT port (/dev/serial/by-id/…, /dev/m2m-modem, or tcp://host:port)
  --baud N            baud rate (default serial.baud_rate, or 115200)
  --config FILE       read serial.path, mqtt.url, mqtt.base_topic and MQTT credentials from this config
  --instance NAME     the config of one modem's daemon: /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it)
                      (default /etc/m2m-bridge/config.yaml when it exists)
  --via-daemon        always go through the running daemon
  --mqtt-url URL      the daemon's broker (default mqtt.url, or mqtt://127.0.0.1:1883)
  --base-topic TOPIC  the daemon's base topic (default mqtt.base_topic, or m2m)

Input piped in (not a terminal) is run line by line, which makes it usable from scripts:
  printf 'AT+CSQ\\nAT+CREG?\\n' | m2m-bridge at
Each command is echoed before its answer on stdout, the banner goes to stderr, and the exit code is 1 when any
command ended in ERROR, +CME/+CMS ERROR, a refusal or no answer (every line still runs).

Ctrl-C gives up waiting for an answer and keeps the console; at an empty prompt, twice, it leaves. Commands that
carry a PIN or password (AT+CPIN=, AT+CLCK=, AT+CPWD=) and message bodies are never saved in the history file.
`;

function tryConfig(values: { config?: string; instance?: string }, io: CliIo): LoadedConfig | null {
  const { configPath: path, flags } = configChoice(values, io.env);
  try {
    return loadConfig({ configPath: path ?? null, env: io.env, flags });
  } catch (error) {
    // An explicit --config must load; the default one is only a source of defaults for the console.
    if (path !== undefined) throw new UsageError(`--config ${path}: ${(error as Error).message}`);
    return null;
  }
}

function mqttOptions(loaded: LoadedConfig | null): IClientOptions {
  if (!loaded) return {};
  const { config, secrets, tls } = loaded;
  return {
    ...(config.mqtt.username ? { username: config.mqtt.username } : {}),
    ...(secrets.mqtt_password !== null ? { password: secrets.mqtt_password } : {}),
    ...(tls.ca ? { ca: Buffer.from(tls.ca) } : {}),
    ...(tls.cert ? { cert: Buffer.from(tls.cert) } : {}),
    ...(secrets.mqtt_key ? { key: Buffer.from(secrets.mqtt_key) } : {}),
  };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      port: { type: 'string' },
      baud: { type: 'string' },
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      'via-daemon': { type: 'boolean' },
      'mqtt-url': { type: 'string' },
      'base-topic': { type: 'string' },
    },
    false,
  );
  const baud = values.baud === undefined ? undefined : Number(values.baud);
  if (baud !== undefined && (!Number.isInteger(baud) || baud < 300 || baud > 4_000_000)) {
    throw new UsageError(`--baud ${values.baud}: expected a baud rate such as 115200`);
  }
  const loaded = tryConfig(values, io);
  const port = values.port ?? loaded?.config.serial.path ?? '/dev/m2m-modem';
  const url = values['mqtt-url'] ?? loaded?.config.mqtt.url ?? 'mqtt://127.0.0.1:1883';
  const baseTopic = values['base-topic'] ?? loaded?.config.mqtt.base_topic ?? 'm2m';
  const home = io.env.HOME ?? homedir();
  const repl = new Repl({
    input: io.stdin,
    output: io.stdout,
    notices: io.stderr,
    historyPath: io.env.M2M_BRIDGE_AT_HISTORY ?? (home ? join(home, '.m2m-bridge-at-history') : null),
    warn: (message) => io.stderr.write(`m2m-bridge at: ${message}\n`),
  });

  let session: ConsoleSession;
  const viaDaemon = async (reason: string | null) => {
    if (reason) io.stderr.write(`m2m-bridge at: ${reason}\n`);
    try {
      return await DaemonSession.connect({ url, baseTopic, print: repl.print, mqtt: mqttOptions(loaded) });
    } catch (error) {
      throw new Error(`cannot reach the daemon's broker at ${url}: ${(error as Error).message}`);
    }
  };
  if (values['via-daemon']) session = await viaDaemon(null);
  else {
    try {
      session = await DirectSession.open({
        path: port,
        baudRate: baud ?? loaded?.config.serial.baud_rate ?? 115200,
        print: repl.print,
      });
    } catch (error) {
      if (!(error instanceof PortBusyError)) throw error;
      const owner = await portOwner(port);
      if (owner.kind === 'other') {
        const list = owner.holders.map((holder) => `${holder.name} (pid ${holder.pid})`).join(', ');
        io.stderr.write(
          `m2m-bridge at: ${port} is held by ${list}, not by the daemon: stop that program first; two programs on ` +
            "one AT port corrupt each other's commands\n",
        );
        return 1;
      }
      const who = owner.kind === 'daemon' ? `the daemon (pid ${owner.pids.join(', ')})` : 'another process';
      session = await viaDaemon(`${port} is held by ${who}: going through the daemon`);
    }
  }
  const { failures } = await repl.run(session);
  // A script (piped input) learns that a command failed from the exit code, as with any shell tool.
  const piped = (io.stdin as NodeJS.ReadStream).isTTY !== true;
  return piped && failures > 0 ? 1 : 0;
}

export const command: CliCommand = {
  usage,
  run,
};
