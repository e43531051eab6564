import { configDir } from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { describePorts, formatPorts } from './ports/describe.js';
import { formatProbe, probePort } from './ports/probe.js';
import { scanPorts } from './ports/scan.js';
import { configStubs } from './ports/stubs.js';

const usage = `Usage: m2m-bridge ports [--json] [--probe [--path PATH …]]

Lists the serial ports with their USB vendor:product, interface number, manufacturer and /dev/serial/by-id path,
and marks the AT port of known modems (Quectel EC25/EG25/BG96/EG91/EG95, SIMCom SIM7600/SIM7000/SIM7070,
u-blox SARA-U2/SARA-R410M, Telit LE910Cx, Sierra Wireless MC74xx/EM74xx/EM7565) — the port to put in serial.path,
and the one systemd/99-m2m-bridge.rules links to /dev/m2m-modem. For every AT port found it prints a ready config
for one daemon per modem (save it as /etc/m2m-bridge/<name>.yaml, start m2m-bridge@<name>), naming the port by its
/dev/serial/by-id path.

Options:
  --json   one JSON object per port: path, by_id, vendor_id, product_id, manufacturer, product, serial_number,
           interface, driver, modem, likely_at, and for an AT port instance and config_stub (the YAML), else null
  --probe  also send AT (then AT+CGMI, AT+CGMM) to every port that is not a known modem's, and say which answer;
           opt-in, since bytes sent to a device that is not a modem are not always harmless. Ports held by
           another process (the daemon) are not touched. With --json: one {"probe":{…}} object per probed port.
  --path PATH  with --probe: also probe this path (a pty, a by-id link, tcp://host:port); repeatable
`;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    { json: { type: 'boolean' }, probe: { type: 'boolean' }, path: { type: 'string', multiple: true } },
    false,
  );
  if (values.path && !values.probe) throw new UsageError('--path goes with --probe');
  const { input, warning } = await scanPorts();
  if (warning) io.stderr.write(`m2m-bridge ports: ${warning}\n`);
  const reports = describePorts(input);
  const stubs = configStubs(reports, configDir(io.env));
  // Known modems' other ports (diagnostics, NMEA, PPP) are left alone: their AT port is already named.
  const toProbe = values.probe
    ? [...reports.filter((r) => r.modem === null).map((r) => r.path), ...(values.path ?? [])]
    : [];
  const probes = [];
  for (const path of toProbe) probes.push(await probePort(path));
  if (values.json) {
    for (const report of reports) {
      const stub = report.likely_at ? stubs.find((s) => s.serial_path === (report.by_id ?? report.path)) : undefined;
      writeJsonLine(io.stdout, { ...report, instance: stub?.instance ?? null, config_stub: stub?.yaml ?? null });
    }
    for (const probe of probes) writeJsonLine(io.stdout, { probe });
    return 0;
  }
  io.stdout.write(`${formatPorts(reports).join('\n')}\n`);
  if (stubs.length > 0) {
    io.stdout.write(
      `\nOne daemon per modem: save each block as its file, then sudo systemctl enable --now m2m-bridge@<name>\n`,
    );
    for (const stub of stubs) io.stdout.write(`\n${stub.yaml}`);
  }
  if (values.probe)
    io.stdout.write(
      probes.length === 0
        ? '\nprobe: no port to probe (known modems are already identified; add --path PATH)\n'
        : `\nprobe (AT sent to ports that are not a known modem's):\n${probes.map(formatProbe).join('\n')}\n`,
    );
  return 0;
}

export const command: CliCommand = {
  usage,
  run,
};
