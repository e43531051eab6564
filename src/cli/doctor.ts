import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { checkApi } from './doctor/api-checks.js';
import { type CheckResult, fail, formatResult, pass, warn } from './doctor/check.js';
import { DAEMON_AT_QUERIES, daemonModemChecks } from './doctor/daemon-checks.js';
import { dataLinkChecks } from './doctor/data-link-checks.js';
import { endToEndCheck } from './doctor/end-to-end.js';
import { checkJournal } from './doctor/journal-check.js';
import { checkPortHolders, checkSerialDevice } from './doctor/local-checks.js';
import { probeModem } from './doctor/modem-probe.js';
import { probeMqtt } from './doctor/mqtt-probe.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';

const usage = `Usage: m2m-bridge doctor [--config FILE | --instance NAME] [--serial-path PATH] [--json]
                         [--end-to-end [--end-to-end-timeout SECONDS]]

Checks a gateway end to end and prints PASS / WARN / FAIL for each item, with a one-line hint how to fix it:
config and where the config, serial port and journal are, the journal (as the daemon will open it), serial device
and permissions, other programs on the port (ModemManager), the modem (AT, SIM, ICCID/IMEI/IMSI, registration,
signal, the serving cell — MCC/MNC, LAC/TAC, cell id, band, EARFCN, RSRP/RSRQ/SINR —, SMS storage, SMS centre, +CNMI), the MQTT
broker and credentials, and the Wireless API (credentials, SIM status, rate plan, latest data session). Checks that
depend on one that failed are skipped with its cause ("not checked: SIM locked (PIN)"). On the modem doctor only
asks: it sends no command that changes a setting.

When the daemon is running it holds the serial port: doctor then asks it over MQTT instead of opening the port
(health_check, bridge/info, status — the cell and SMS centre the daemon reads for it —, and AT+CPIN? and AT+CNMI?
run by the daemon through its read-only \`at\` request).

Options:
  --config FILE       config file (default /etc/m2m-bridge/config.yaml)
  --instance NAME     the config of one modem's daemon: /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it)
  --serial-path PATH  override serial.path
  --json              one JSON object per check: {"id","title","status","detail","hint"}
  --end-to-end        also send one real Command to this SIM through the API (wireless.* credentials) and wait for
                      the daemon to publish it on <base>/command/received: PASS with the time taken, or FAIL with
                      the likely cause. THIS COSTS MONEY: one Command (and its SMS) billed to the account, each run.
                      Nothing is sent unless the daemon is running and the modem is registered.
  --end-to-end-timeout SECONDS  how long to wait for it (default 90)

Exit code: 0 when nothing FAILs, 1 otherwise.
`;

function endToEndTimeoutMs(enabled: boolean | undefined, value: string | undefined): number | null {
  if (!enabled) {
    if (value !== undefined) throw new UsageError('--end-to-end-timeout needs --end-to-end');
    return null;
  }
  const seconds = value === undefined ? 90 : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600)
    throw new UsageError(`--end-to-end-timeout: expected seconds between 0 and 600, got "${value}"`);
  return Math.round(seconds * 1000);
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      'serial-path': { type: 'string' },
      json: { type: 'boolean' },
      'end-to-end': { type: 'boolean' },
      'end-to-end-timeout': { type: 'string' },
    },
    false,
  );
  const endToEndMs = endToEndTimeoutMs(values['end-to-end'], values['end-to-end-timeout']);
  const report = (result: CheckResult) => {
    if (values.json) writeJsonLine(io.stdout, result);
    else io.stdout.write(`${formatResult(result)}\n`);
    return result;
  };
  const all: CheckResult[] = [];
  const add = (results: CheckResult[]) => {
    for (const result of results) all.push(report(result));
  };

  const choice = configChoice(values, io.env);
  // Doctor is often the first thing run on a new gateway: with no config at all, say that (and how to find the
  // modem for it) rather than listing the keys a missing file does not set.
  const noConfigFile = !choice.configPath && !existsSync(DEFAULT_CONFIG_PATH);
  if (noConfigFile)
    add([
      warn(
        'config.file',
        'config file',
        `no ${DEFAULT_CONFIG_PATH} (and no --config): using the environment, flags and defaults only`,
        'create it from systemd/config.example.yaml (README, "Install on a gateway", step 5); m2m-bridge ports shows the modem\'s AT port for serial.path',
      ),
    ]);
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig({
      configPath: choice.configPath ?? null,
      env: io.env,
      flags: { ...choice.flags, ...(values['serial-path'] ? { 'serial.path': values['serial-path'] } : {}) },
      flagNames: { 'serial.path': '--serial-path' },
    });
    add([
      pass('config', 'config', loaded.file ? `${loaded.file} is valid` : 'valid (environment and defaults; no file)'),
    ]);
    add(
      loaded.warnings
        .filter((warning) => !(noConfigFile && warning.startsWith('no config file at')))
        .map((warning) => warn('config.warning', 'config', warning, 'see the config reference in README')),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    add(
      error.issues.map((issue) =>
        fail(
          'config',
          'config',
          `${issue.key ?? 'file'}: ${issue.message}`,
          'fix the key named, then run m2m-bridge config check',
        ),
      ),
    );
    return 1;
  }
  const { config } = loaded;
  // Where everything is, in one line: what a technician on the phone is asked first.
  add([
    pass(
      'paths',
      'paths',
      `config ${loaded.file === null ? 'none (environment and defaults)' : resolve(loaded.file)}, ` +
        `serial port ${config.serial.path}, journal ${config.store.path}`,
    ),
  ]);

  const mqtt = await probeMqtt(loaded, [...DAEMON_AT_QUERIES]);
  add(mqtt.results);
  const daemonRunning = mqtt.daemon !== null;
  add(
    daemonRunning
      ? [pass('daemon', 'daemon', 'running: it answered health_check over MQTT')]
      : [
          warn(
            'daemon',
            'daemon',
            'not answering over MQTT',
            'start it: sudo systemctl start m2m-bridge (doctor opens the port itself meanwhile)',
          ),
        ],
  );

  add([await checkJournal(config.store.path)]);
  add(await checkSerialDevice(config.serial.path));
  add(await checkPortHolders(config.serial.path, daemonRunning));
  const modem = mqtt.daemon
    ? daemonModemChecks(mqtt.daemon, loaded.secrets.modem_pin !== null)
    : await probeModem(config.serial.path, config.serial.baud_rate, loaded.secrets.modem_pin);
  add(modem.results);
  add(dataLinkChecks(config.ip_commands, modem.facts, mqtt.daemon));
  add(await checkApi(loaded, modem.facts.iccid, modem.facts.simProblem));
  // Opt-in only: it sends a real, billed Command (doctor/end-to-end.ts).
  if (endToEndMs !== null)
    add([await endToEndCheck({ loaded, daemon: mqtt.daemon, iccid: modem.facts.iccid, deadlineMs: endToEndMs })]);

  const failed = all.filter((result) => result.status === 'fail').length;
  const warned = all.filter((result) => result.status === 'warn').length;
  if (!values.json)
    io.stdout.write(`\n${failed} failed, ${warned} warnings, ${all.length - failed - warned} passed or skipped\n`);
  return failed > 0 ? 1 : 0;
}

export const command: CliCommand = {
  usage,
  run,
};
