import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { BROKER_OPTIONS, BROKER_USAGE, brokerTarget, requestDaemon, timeoutMs } from './daemon-request.js';

const usage = `Usage: m2m-bridge restart [--config FILE | --instance NAME | --mqtt-url URL [--base-topic T]] [--json]

Asks the running daemon, over MQTT (<base>/bridge/request/restart), to restart: it answers, lets the reply being
sent finish, publishes bridge/state offline, closes the journal and exits with code 75, which the systemd unit
(Restart=always) starts again after RestartSec (5 s). Without a supervisor the daemon stays stopped. Useful from a
machine that can reach the broker but has no shell on the gateway; on the gateway, systemctl restart does the same.

Options:
${BROKER_USAGE}
  --json             the daemon's answer as one JSON line ({"restarting","exit_code"})

Exit codes: 0 the daemon answered and is restarting, 1 it did not answer, 2 bad usage.
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...BROKER_OPTIONS, json: { type: 'boolean' } }, false);
  const deadline = timeoutMs(values.timeout);
  let data: { restarting?: boolean; exit_code?: number };
  try {
    data = (await requestDaemon(brokerTarget(values, io), 'restart', {}, deadline)) as typeof data;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    io.stderr.write(`m2m-bridge restart: ${(error as Error).message}\n`);
    return 1;
  }
  if (values.json) writeJsonLine(io.stdout, data);
  else io.stdout.write(`the daemon is restarting (it exits ${data.exit_code}; its supervisor starts it again)\n`);
  return 0;
}

export const command: CliCommand = {
  usage,
  run,
};
