// Not '../config/index.js': it re-exports the schema, and zod would stay in the daemon for its whole life (the config
// is validated in a child process; test/daemon/lean-run.test.ts checks what `run` imports).
import { ConfigError } from '../config/errors.js';
import type { LoadedConfig } from '../config/load.js';
import { loadConfigIsolated } from '../config/load-isolated.js';
import { Daemon, EXIT, InstanceConflictError } from '../daemon/index.js';
import { JournalError } from '../store/index.js';
import { createLogger, stdoutIsJournal } from '../util/logger.js';
import { type CliCommand, type CliIo, parseCommandArgs } from './command.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';
import { packageVersion } from './version.js';

const usage = `Usage: m2m-bridge run [--config FILE | --instance NAME] [options]

Runs the daemon: Commands from the modem to MQTT, replies back. Stops cleanly on SIGTERM or SIGINT. SIGHUP reads
the config again and applies the SIM PIN (modem.pin, modem.pin_file) at once: a locked SIM is rechecked with it;
other changes need a restart.

Options:
  --config FILE        YAML config (default /etc/m2m-bridge/config.yaml if it exists)
  --instance NAME      one daemon per modem: config /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it),
                       instance.name NAME (base topic m2m/NAME, journal /var/lib/m2m-bridge/NAME/journal.db)
  --serial-path PATH   serial.path: the modem's AT port (/dev/serial/by-id/…, or tcp://host:port)
  --mqtt-url URL       mqtt.url
  --store-path FILE    store.path: the journal
  --log-level LEVEL    log.level (fatal, error, warn, info, debug, trace, silent)

Settings come from the file, then M2M_BRIDGE_<SECTION>_<KEY> environment variables, then these flags.
Logs are JSON lines on stdout (pretty on a terminal); secrets never appear in them. Under systemd (stdout is the
journal, per JOURNAL_STREAM) each line starts with its syslog priority, so journalctl -p warning works.

Exit codes: 0 stopped (also when a stop step ran out of time: the log names it), 1 could not start, a second
signal while stopping, or a fatal error, 2 bad usage, 75 stopped cleanly for a restart asked over MQTT
(bridge/request/restart, m2m-bridge restart; systemd starts it again), 65 the journal is damaged or from a newer version (README,
"A damaged journal"), 73 another m2m-bridge already uses this modem, journal or base topic (the message names it
and the key to change), 78 invalid configuration.
`;

const FLAG_KEYS = {
  'serial-path': 'serial.path',
  'mqtt-url': 'mqtt.url',
  'store-path': 'store.path',
  'log-level': 'log.level',
} as const;

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      // A second signal while stopping means "now": exit without waiting for the orderly stop.
      const force = () => process.exit(EXIT.failure);
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      'serial-path': { type: 'string' },
      'mqtt-url': { type: 'string' },
      'store-path': { type: 'string' },
      'log-level': { type: 'string' },
    },
    false,
  );
  const choice = configChoice(values, io.env);
  const flags: Record<string, unknown> = { ...choice.flags };
  for (const [flag, key] of Object.entries(FLAG_KEYS)) {
    const value = values[flag as keyof typeof values];
    if (typeof value === 'string') flags[key] = value;
  }
  const load = () =>
    loadConfigIsolated({
      configPath: choice.configPath ?? null,
      env: io.env,
      flags,
      flagNames: Object.fromEntries(Object.entries(FLAG_KEYS).map(([flag, key]) => [key, `--${flag}`])),
    });
  let loaded: LoadedConfig;
  try {
    loaded = await load();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`m2m-bridge run: ${error.message}\n`);
      return EXIT.config;
    }
    throw error;
  }
  const logger = createLogger({
    level: loaded.config.log.level,
    name: 'm2m-bridge',
    journald: stdoutIsJournal(io.env),
  });
  for (const warning of loaded.warnings) logger.warn(warning);
  let requestRestart: (reason: string) => void = () => {};
  const restart = new Promise<string>((resolve) => {
    requestRestart = resolve;
  });
  const daemon = new Daemon({ loaded, logger, version: packageVersion(), onRestartRequest: requestRestart });
  const signal = waitForSignal();
  // SIGHUP would end the process (Node's default). The daemon logs to stdout, so there is nothing to reopen; it reads
  // the config again for the one thing that can change without a restart: the SIM PIN a locked SIM is waiting for
  // (README, "m2m-bridge run"). A config that no longer loads is reported and the running one kept.
  process.on('SIGHUP', () => {
    load().then(
      (reloaded) => daemon.reload(reloaded),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        logger.error(`SIGHUP: config not reloaded, the running one is kept: ${message}`);
      },
    );
  });
  process.on('uncaughtException', (error) => {
    // Invariant 3 says input cannot crash the daemon; if a bug does, say so loudly and let systemd restart us.
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    process.exit(EXIT.failure);
  });
  try {
    await daemon.start();
  } catch (error) {
    logger.fatal({ err: error }, `could not start: ${(error as Error).message}`);
    await daemon.stop();
    if (error instanceof InstanceConflictError) {
      io.stderr.write(`m2m-bridge run: ${error.message}\n`);
      return EXIT.conflict;
    }
    if (error instanceof JournalError && (error.code === 'corrupt' || error.code === 'schema_too_new')) {
      io.stderr.write(
        `m2m-bridge run: ${error.message}\n  the journal is left as it is; see "A damaged journal" in the README\n`,
      );
      return EXIT.journal;
    }
    return EXIT.failure;
  }
  logger.info({ version: packageVersion(), config: loaded.file }, 'm2m-bridge running');
  const cause = await Promise.race([
    signal.then((received) => ({ signal: received, restart: null })),
    restart.then((reason) => ({ signal: null, restart: reason })),
  ]);
  logger.info(cause.restart ? { restart: cause.restart } : { signal: cause.signal }, 'stopping');
  await daemon.stop();
  return cause.restart ? EXIT.restart : EXIT.ok;
}

export const command: CliCommand = {
  usage,
  run,
};
