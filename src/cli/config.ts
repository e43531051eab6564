import {
  ConfigError,
  configJsonSchema,
  DEFAULT_CONFIG_PATH,
  formatIssue,
  loadConfig,
  redactedConfig,
} from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { configChoice, INSTANCE_OPTION } from './instance-option.js';

const usage = `Usage: m2m-bridge config check [--config FILE | --instance NAME] [--set KEY=VALUE ...] [--print] [--json]
       m2m-bridge config schema

check   Loads the configuration the way \`m2m-bridge run\` does: the YAML file, then M2M_BRIDGE_<SECTION>_<KEY>
        environment variables, then --set flags; reads the secret files. Prints "OK" and any warnings (exit 0),
        or every problem, each naming the key, what is expected and where the value came from (exit 1).
  --config FILE     the YAML file (default ${DEFAULT_CONFIG_PATH}, used when it exists)
  --instance NAME   the config of one modem's daemon: /etc/m2m-bridge/NAME.yaml (M2M_BRIDGE_CONFIG_DIR moves it)
  --set KEY=VALUE   override one key, e.g. --set serial.path=/dev/ttyUSB2 (repeatable)
  --print           also print the effective configuration as JSON, secrets redacted
  --json            one JSON line: {"status":"ok"|"error","file","warnings","errors","config"}

schema  Prints the JSON Schema of the configuration file (draft 2020-12), for editors and validation.
`;

function parseSets(sets: string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (const set of sets) {
    const at = set.indexOf('=');
    if (at <= 0) throw new UsageError(`--set expects KEY=VALUE, got "${set}"`);
    flags[set.slice(0, at)] = set.slice(at + 1);
  }
  return flags;
}

function check(argv: string[], io: CliIo): number {
  const { values } = parseCommandArgs(
    argv,
    {
      config: { type: 'string' },
      ...INSTANCE_OPTION,
      set: { type: 'string', multiple: true },
      print: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    false,
  );
  const choice = configChoice(values, io.env);
  const flags = { ...choice.flags, ...parseSets(values.set ?? []) };
  try {
    const loaded = loadConfig({ configPath: choice.configPath ?? null, env: io.env, flags });
    const config = redactedConfig(loaded.config);
    if (values.json) {
      writeJsonLine(io.stdout, {
        status: 'ok',
        file: loaded.file,
        warnings: loaded.warnings,
        errors: [],
        ...(values.print ? { config } : {}),
      });
      return 0;
    }
    io.stdout.write(`OK${loaded.file ? `: ${loaded.file}` : ''}\n`);
    for (const warning of loaded.warnings) io.stdout.write(`warning: ${warning}\n`);
    if (values.print) io.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (values.json) {
      writeJsonLine(io.stdout, {
        status: 'error',
        file: choice.configPath ?? null,
        warnings: [],
        errors: error.issues.map((issue) => ({
          key: issue.key,
          message: issue.message,
          origin: issue.origin,
          text: formatIssue(issue),
        })),
      });
    } else {
      io.stderr.write(`${error.message}\n`);
    }
    return 1;
  }
}

export const command: CliCommand = {
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'check') return check(rest, io);
    if (sub === 'schema') {
      parseCommandArgs(rest, {}, false);
      io.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
      return 0;
    }
    throw new UsageError(sub === undefined ? 'expected a subcommand: check or schema' : `unknown subcommand '${sub}'`);
  },
};
