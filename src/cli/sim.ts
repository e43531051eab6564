import { readSecret } from '../config/files.js';
import { type LoadedConfig, loadConfig } from '../config/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { type SimLockReport, SimPort, SimToolError } from './sim/sim-port.js';

const usage = `Usage: m2m-bridge sim status     [--port PATH | --config FILE] [--json]
       m2m-bridge sim unlock     [--port PATH | --config FILE] --pin-file FILE
       m2m-bridge sim unlock     [--port PATH | --config FILE] --puk-file FILE --new-pin-file FILE
       m2m-bridge sim change-pin [--port PATH | --config FILE] --pin-file FILE --new-pin-file FILE

The SIM's PIN and PUK, for the technician. Talks to the modem's AT port directly, so stop the daemon first
(sudo systemctl stop m2m-bridge); it never enters a PUK or retries a PIN itself.

status      what the SIM waits for (READY, SIM PIN, SIM PUK …), the PIN and PUK tries left (AT+CPINR, or the
            module's own counter), and whether the PIN lock is on (AT+CLCK="SC",2)
unlock      enters the PIN once (SIM PIN), or the PUK with a new PIN (SIM PUK); says how many tries are left
change-pin  sets a new PIN (AT+CPWD="SC"); the SIM must be unlocked

PINs come from files (one line; "-" reads standard input), never from the command line, where any user could
read them in ps. They are never printed or logged. On the last try left, unlock refuses unless --last-attempt is
given: a wrong PIN then blocks the SIM, a wrong PUK destroys it.

Options:
  --port PATH          the AT port (default serial.path from the config)
  --config FILE        the daemon's config (default /etc/m2m-bridge/config.yaml when it exists)
  --baud N             baud rate (default serial.baud_rate, or 115200)
  --pin-file FILE      the PIN (unlock), or the current PIN (change-pin)
  --puk-file FILE      the PUK, 8 digits (unlock of a SIM PUK)
  --new-pin-file FILE  the new PIN, 4 to 8 digits
  --last-attempt       allow entering a PIN or PUK on its last try
  --json               status as one JSON object

Exit code: 0 done (or nothing to do), 1 the modem refused or the SIM cannot be unlocked here, 2 bad usage.
`;

const OPTIONS = {
  port: { type: 'string' },
  config: { type: 'string' },
  baud: { type: 'string' },
  'pin-file': { type: 'string' },
  'puk-file': { type: 'string' },
  'new-pin-file': { type: 'string' },
  'last-attempt': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof OPTIONS>>['values'];

/** A PIN or PUK from its file (or stdin for "-"), checked for shape; the error names the flag, never the value. */
async function readCode(flag: string, path: string | undefined, digits: [number, number], io: CliIo): Promise<string> {
  if (path === undefined) throw new UsageError(`${flag} FILE is required here`);
  let value: string;
  if (path === '-') {
    let text = '';
    for await (const chunk of io.stdin) text += String(chunk);
    value = text.split('\n')[0]!.trim();
  } else {
    const read = readSecret(path, flag);
    if ('issue' in read) throw new UsageError(`${flag}: ${read.issue.message}`);
    value = read.value.trim();
  }
  const [min, max] = digits;
  if (!new RegExp(`^\\d{${min},${max}}$`).test(value))
    throw new UsageError(`${flag}: the file must hold ${min === max ? min : `${min} to ${max}`} digits`);
  return value;
}

function describeRetries(status: SimLockReport): string {
  const { pin, puk } = status.retries;
  if (pin === null && puk === null) return 'tries left unknown (the modem has no retry counter we know)';
  return [pin === null ? null : `PIN tries left: ${pin}`, puk === null ? null : `PUK tries left: ${puk}`]
    .filter(Boolean)
    .join(', ');
}

function printStatus(status: SimLockReport, io: CliIo, json: boolean): void {
  if (json) {
    writeJsonLine(io.stdout, {
      state: status.state,
      pin_retries: status.retries.pin,
      puk_retries: status.retries.puk,
      retries_from: status.retriesFrom,
      pin_lock_enabled: status.pinLockEnabled,
    });
    return;
  }
  const lock = status.pinLockEnabled === null ? 'unknown' : status.pinLockEnabled ? 'on' : 'off';
  io.stdout.write(`SIM: ${status.state}\n${describeRetries(status)}\nPIN lock at power-on: ${lock}\n`);
}

/** Refuses the last try unless asked for it: the one mistake here that cannot be undone by a technician. */
function guardLastTry(left: number | null, what: 'PIN' | 'PUK', values: Values): void {
  if (left !== null && left <= 1 && !values['last-attempt'])
    throw new SimToolError(
      left === 0
        ? `no ${what} tries left`
        : `1 ${what} try left: a wrong ${what} now ${what === 'PIN' ? 'blocks the SIM (it then wants its PUK)' : 'destroys the SIM'}; check it, then add --last-attempt`,
    );
}

async function unlock(port: SimPort, values: Values, io: CliIo): Promise<number> {
  const before = await port.status();
  if (before.state === 'READY') {
    io.stdout.write('the SIM is not locked (READY): nothing to do\n');
    return 0;
  }
  let command: string;
  let what: 'PIN' | 'PUK';
  if (before.state === 'SIM PIN') {
    what = 'PIN';
    guardLastTry(before.retries.pin, what, values);
    command = `AT+CPIN="${await readCode('--pin-file', values['pin-file'], [4, 8], io)}"`;
  } else if (before.state === 'SIM PUK') {
    what = 'PUK';
    guardLastTry(before.retries.puk, what, values);
    const puk = await readCode('--puk-file', values['puk-file'], [8, 8], io);
    const pin = await readCode('--new-pin-file', values['new-pin-file'], [4, 8], io);
    command = `AT+CPIN="${puk}","${pin}"`;
  } else {
    throw new SimToolError(
      `the SIM is in state ${before.state}: not a SIM PIN or SIM PUK lock this tool can open${before.state === 'no SIM' ? ' (insert the SIM, power off first)' : ''}`,
    );
  }
  const answer = await port.enter(command);
  const after = await port.status();
  if (answer.ok) {
    io.stdout.write(`unlocked with the ${what}: the SIM is ${after.state}\n`);
    return 0;
  }
  const reason =
    answer.cme === 16
      ? `wrong ${what}`
      : answer.cme === 12
        ? `wrong ${what}: the SIM now wants its PUK`
        : answer.cme === 13
          ? 'the SIM refused it and is now unusable (SIM failure)'
          : `the modem refused it (${answer.text})`;
  io.stderr.write(`m2m-bridge sim: ${reason}; ${describeRetries(after)}\n`);
  return 1;
}

async function changePin(port: SimPort, values: Values, io: CliIo): Promise<number> {
  const before = await port.status();
  if (before.state !== 'READY')
    throw new SimToolError(`the SIM is ${before.state}: unlock it first (m2m-bridge sim unlock)`);
  guardLastTry(before.retries.pin, 'PIN', values);
  const old = await readCode('--pin-file', values['pin-file'], [4, 8], io);
  const next = await readCode('--new-pin-file', values['new-pin-file'], [4, 8], io);
  const answer = await port.enter(`AT+CPWD="SC","${old}","${next}"`);
  if (answer.ok) {
    io.stdout.write('PIN changed: update modem.pin_file to the new PIN before the daemon starts\n');
    return 0;
  }
  const after = await port.status();
  io.stderr.write(
    `m2m-bridge sim: ${answer.cme === 16 ? 'wrong current PIN' : `the modem refused it (${answer.text})`}; ${describeRetries(after)}\n`,
  );
  return 1;
}

function portOf(values: Values, io: CliIo): { path: string; baud: number } {
  let loaded: LoadedConfig | null = null;
  if (values.port === undefined || values.baud === undefined) {
    try {
      loaded = loadConfig({ configPath: values.config ?? null, env: io.env });
    } catch (error) {
      if (values.config !== undefined || values.port === undefined)
        throw new UsageError(`give --port, or a loadable --config: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const path = values.port ?? loaded?.config.serial.path;
  if (!path) throw new UsageError('--port PATH is required (or serial.path in the config)');
  const baud = values.baud === undefined ? (loaded?.config.serial.baud_rate ?? 115200) : Number(values.baud);
  if (!Number.isInteger(baud) || baud < 300) throw new UsageError(`--baud ${values.baud}: expected a baud rate`);
  return { path, baud };
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = argv;
  if (action !== 'status' && action !== 'unlock' && action !== 'change-pin')
    throw new UsageError(
      action === undefined ? 'which action? status, unlock or change-pin' : `unknown action '${action}'`,
    );
  const { values } = parseCommandArgs(rest, OPTIONS, false);
  const { path, baud } = portOf(values, io);
  let port: SimPort | undefined;
  try {
    port = await SimPort.open(path, baud);
    if (action === 'status') {
      printStatus(await port.status(), io, values.json === true);
      return 0;
    }
    return action === 'unlock' ? await unlock(port, values, io) : await changePin(port, values, io);
  } catch (error) {
    if (!(error instanceof SimToolError)) throw error;
    io.stderr.write(`m2m-bridge sim: ${error.message}\n`);
    return 1;
  } finally {
    await port?.close();
  }
}

export const command: CliCommand = {
  usage,
  run,
};
