import { LOG_LEVELS } from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { BROKER_OPTIONS, BROKER_USAGE, brokerTarget, requestDaemon, timeoutMs } from './daemon-request.js';

const usage = `Usage: m2m-bridge log-level LEVEL [--config FILE | --instance NAME | --mqtt-url URL [--base-topic T]] [--json]

Changes the running daemon's log level at once, over MQTT (<base>/bridge/request/log_level with {"level":LEVEL}),
without restarting it: e.g. debug while chasing a problem, then back to info. Levels: ${LOG_LEVELS.join(', ')}.
The change lasts until the daemon stops; the next start uses log.level from the config again.

Options:
${BROKER_USAGE}
  --json             the daemon's answer as one JSON line ({"old_level","new_level","persisted"})

Exit codes: 0 the level changed, 1 the daemon did not answer or refused, 2 bad usage.
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...BROKER_OPTIONS, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError(`give one level: ${LOG_LEVELS.join(', ')}`);
  const level = positionals[0]!;
  // Checked here too, so a typo is a usage error before any broker is reached; the daemon checks again.
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new UsageError(`unknown level "${level}": expected one of ${LOG_LEVELS.join(', ')}`);
  const deadline = timeoutMs(values.timeout);
  let data: { old_level?: string; new_level?: string };
  try {
    data = (await requestDaemon(brokerTarget(values, io), 'log_level', { level }, deadline)) as typeof data;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`m2m-bridge log-level: ${(error as Error).message}\n`);
    return 1;
  }
  if (values.json) writeJsonLine(io.stdout, data);
  else io.stdout.write(`log level ${data.old_level} → ${data.new_level} (until the daemon restarts)\n`);
  return 0;
}

export const command: CliCommand = {
  usage,
  run,
};
