import { isProfileName, type ModemSimOptions, PROFILE_NAMES, startModemSim } from '../../device/modem/index.js';
import { hasDigits, ICCID_DIGITS, IMEI_DIGITS } from '../wireless/sim-identifiers.js';
import { type CliCommand, parseCommandArgs, UsageError, writeJsonLine } from './command.js';

function hostPort(flag: string, value: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new UsageError(`--${flag} must be HOST:PORT (e.g. 127.0.0.1:8023), got '${value}'`);
  return { host: match[1] ?? (match[2] || '127.0.0.1'), port };
}

function digits(flag: string, value: string | undefined, range: { min: number; max: number }): string | undefined {
  if (value === undefined) return undefined;
  if (!hasDigits(value, range)) {
    throw new UsageError(`--${flag} must be ${range.min}-${range.max} digits, got '${value}'`);
  }
  return value;
}

export const command: CliCommand = {
  usage: `Usage: m2m-bridge modem-sim --link PATH [options]

Creates a pseudo-terminal and a symlink at PATH that serial programs open like /dev/ttyUSB2, and answers AT commands
(3GPP TS 27.007/27.005) like a cellular modem. Runs until SIGINT/SIGTERM, then removes the link.

Options:
  --link PATH          symlink to create (required)
  --tcp HOST:PORT      also serve the modem over TCP (raw, like ser2net)
  --control HOST:PORT  JSON control API over HTTP (POST /sms, GET /sent, /storage, /state, /log, POST /faults, ...)
  --profile NAME       ${PROFILE_NAMES.join('|')} (default generic)
  --baud N             pace output at N baud (10 bits per byte); default unpaced
  --iccid DIGITS       SIM ICCID (18-22 digits)
  --imei DIGITS        IMEI (15 digits)
  --imsi DIGITS        IMSI (6-15 digits)
  --pin PIN            lock the SIM with this PIN (AT+CPIN needed)
  --puk PUK            the SIM's PUK, for AT+CPIN=<puk>,<new pin> after three wrong PINs (default 12345678)
  --sm N, --me N       SIM / modem SMS storage capacity
  --roaming            register as roaming (+CREG stat 5) instead of home

Prints one JSON line: {"device","pty","tcp","control","profile"}.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(
      argv,
      {
        link: { type: 'string' },
        tcp: { type: 'string' },
        control: { type: 'string' },
        profile: { type: 'string' },
        baud: { type: 'string' },
        iccid: { type: 'string' },
        imei: { type: 'string' },
        imsi: { type: 'string' },
        pin: { type: 'string' },
        puk: { type: 'string' },
        sm: { type: 'string' },
        me: { type: 'string' },
        roaming: { type: 'boolean' },
      },
      false,
    );
    if (!values.link) throw new UsageError('--link PATH is required');
    const profile = values.profile ?? 'generic';
    if (!isProfileName(profile)) throw new UsageError(`--profile must be one of ${PROFILE_NAMES.join(', ')}`);
    const count = (flag: string, value: string | undefined, min: number, max: number) => {
      if (value === undefined) return undefined;
      const number = Number(value);
      if (!Number.isInteger(number) || number < min || number > max) {
        throw new UsageError(`--${flag} must be an integer ${min}-${max}, got '${value}'`);
      }
      return number;
    };
    const options: ModemSimOptions = {
      link: values.link,
      profile,
      roaming: values.roaming ?? false,
      iccid: digits('iccid', values.iccid, ICCID_DIGITS),
      imei: digits('imei', values.imei, IMEI_DIGITS),
      imsi: digits('imsi', values.imsi, { min: 6, max: 15 }),
      pin: values.pin ?? null,
      ...(values.puk ? { puk: values.puk } : {}),
      baud: count('baud', values.baud, 300, 4_000_000),
      storage: { SM: count('sm', values.sm, 1, 255), ME: count('me', values.me, 1, 1000) },
      ...(values.tcp ? { tcp: hostPort('tcp', values.tcp) } : {}),
      ...(values.control ? { control: hostPort('control', values.control) } : {}),
    };
    const running = await startModemSim(options);
    writeJsonLine(io.stdout, {
      device: running.path,
      pty: running.ptyPath,
      tcp: running.tcpAddress ? `${running.tcpAddress.host}:${running.tcpAddress.port}` : null,
      control: running.controlUrl ?? null,
      profile,
    });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.close();
    return 0;
  },
};
