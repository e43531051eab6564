import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { BROKER_OPTIONS, BROKER_USAGE, brokerTarget, requestDaemon, timeoutMs } from './daemon-request.js';
import { formatStatus } from './status-format.js';

const usage = `Usage: m2m-bridge status [--config FILE | --instance NAME | --mqtt-url URL [--base-topic T]] [--timeout SECONDS] [--json]

Asks the running daemon, over MQTT (<base>/bridge/request/status → <base>/bridge/response/status), for its state:
daemon and modem state, identity (IMEI, ICCID, IMSI), the serving cell (MCC/MNC, LAC/TAC, cell id, band, EARFCN,
RSRP/RSRQ/SINR: read from the modem for this answer, "not reported" where the modem does not say), the SMS centre,
queue depths, journal disk use, the last errors, and where the config, serial port and journal are.

Options:
${BROKER_USAGE}
  --json             the daemon's answer as one JSON line

Exit codes: 0 the daemon answered, 1 it did not (not running, or the broker is unreachable: the message says which),
2 bad usage.
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...BROKER_OPTIONS, json: { type: 'boolean' } }, false);
  const deadline = timeoutMs(values.timeout);
  let data: unknown;
  try {
    data = await requestDaemon(brokerTarget(values, io), 'status', {}, deadline);
  } catch (error) {
    // A bad config, an unreachable broker, no daemon or the daemon's error: one line, exit 1 (usage errors go on).
    if (error instanceof UsageError) throw error;
    io.stderr.write(`m2m-bridge status: ${(error as Error).message}\n`);
    return 1;
  }
  if (values.json) writeJsonLine(io.stdout, data);
  else io.stdout.write(formatStatus(data as Record<string, unknown>));
  return 0;
}

export const command: CliCommand = {
  usage,
  run,
};
