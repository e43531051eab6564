import { type CliCommand, type CliIo, parseCommandArgs, writeJsonLine } from './command.js';
import { describePorts, formatPorts } from './ports/describe.js';
import { scanPorts } from './ports/scan.js';

const usage = `Usage: m2m-bridge ports [--json]

Lists the serial ports with their USB vendor:product, interface number, manufacturer and /dev/serial/by-id path,
and marks the AT port of known modems (Quectel EC25/EG25/BG96/EG91/EG95, SIMCom SIM7600/SIM7000/SIM7070,
u-blox SARA-U2/SARA-R410M, Telit LE910Cx, Sierra Wireless MC74xx/EM74xx/EM7565) — the port to put in serial.path,
and the one systemd/99-m2m-bridge.rules links to /dev/m2m-modem.

Options:
  --json   one JSON object per port: path, by_id, vendor_id, product_id, manufacturer, product, serial_number,
           interface, driver, modem, likely_at
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(argv, { json: { type: 'boolean' } }, false);
  const { input, warning } = await scanPorts();
  if (warning) io.stderr.write(`m2m-bridge ports: ${warning}\n`);
  const reports = describePorts(input);
  if (values.json) {
    for (const report of reports) writeJsonLine(io.stdout, report);
    return 0;
  }
  io.stdout.write(`${formatPorts(reports).join('\n')}\n`);
  return 0;
}

export const command: CliCommand = {
  name: 'ports',
  summary: 'list serial ports and mark the AT port of known modems',
  usage,
  run,
};
