import { closestMatch } from '../util/closest.js';
import { type CliIo, UsageError } from './command.js';
import { commands } from './registry.js';
import { packageVersion } from './version.js';

function topHelp(): string {
  const width = Math.max(...commands.map((entry) => entry.name.length), 8);
  const lines = commands.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`);
  return [
    'm2m-bridge: cellular M2M Commands (SMS) from the modem to MQTT, and replies back',
    '',
    'Usage: m2m-bridge <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    "  -h, --help     show this help, or a command's help after its name",
    '  -v, --version  print the version',
    '',
    'Run `m2m-bridge <command> --help` for the options of one command.',
  ].join('\n');
}

/** Runs the CLI and resolves to the exit code: 0 ok, 1 the command failed, 2 bad usage. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout.write(`${topHelp()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '-v' || name === '--version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((candidate) => candidate.name === name);
  if (!entry) {
    if (name.startsWith('-')) {
      io.stderr.write(`m2m-bridge: unknown option '${name}' (see m2m-bridge --help)\n`);
      return 2;
    }
    const guess = closestMatch(
      commands.map((candidate) => candidate.name),
      name,
    );
    io.stderr.write(
      `m2m-bridge: unknown command '${name}'${guess === null ? '' : ` (did you mean '${guess}'?)`}; see m2m-bridge --help\n`,
    );
    return 2;
  }
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage.trimEnd()}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`m2m-bridge ${name}: ${error.message} (see m2m-bridge ${name} --help)\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`m2m-bridge ${name}: ${message}\n`);
    if (io.env.M2M_BRIDGE_DEBUG) io.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
    return 1;
  }
}
