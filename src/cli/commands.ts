import {
  COMMAND_DIRECTIONS,
  COMMAND_STATUSES,
  type Command,
  type CommandDirection,
  type CommandStatus,
  collect,
  type WirelessClient,
} from '../wireless/index.js';
import { type CliCommand, type CliIo, parseCommandArgs, UsageError, writeJsonLine } from './command.js';
import { CONNECTION_USAGE, connectionOptions, withWireless, writeTable } from './sims.js';
import {
  checkSmsCommandPayload,
  chooseProduct,
  listSmsCommands,
  SMS_COMMAND_MAX_CHARS,
  smsCommandRow,
  waitForSmsCommand,
  writeSmsCommand,
} from './sms-commands.js';

/** `--super-sim`: Super SIM's SmsCommands instead of Programmable Wireless Commands (sms-commands.ts). */
const PRODUCT_OPTION = { 'super-sim': { type: 'boolean' } } as const;

/** FACTS.md: text up to 160 characters (IncludeSid adds 35), binary up to 140 bytes as base64. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function writeCommand(io: CliIo, json: boolean | undefined, created: Command) {
  if (json) writeJsonLine(io.stdout, created);
  else io.stdout.write(`${created.sid} ${created.status} ${created.direction} ${created.sim_sid}\n`);
}

async function send(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    ...connectionOptions,
    ...PRODUCT_OPTION,
    sim: { type: 'string' },
    binary: { type: 'boolean' },
    'include-sid': { type: 'string' },
    'no-receipt': { type: 'boolean' },
    'callback-url': { type: 'string' },
    wait: { type: 'boolean' },
    timeout: { type: 'string' },
  });
  const timeoutSeconds = values.timeout === undefined ? 60 : Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout must be seconds > 0');
  if (!values.sim) throw new UsageError('--sim SID|UNIQUE_NAME is required');
  if (positionals.length !== 1) throw new UsageError('give the Command as one argument (quote it)');
  const body = positionals[0] ?? '';
  if (body === '') throw new UsageError('the Command is empty');
  const includeSid = values['include-sid'];
  if ((await chooseProduct(values, values.sim, io)) === 'super-sim') {
    checkSmsCommandPayload(body, { binary: values.binary, includeSid, noReceipt: values['no-receipt'] });
    const sent = await withWireless(values, io, async (client) => {
      const created = await client.superSim.smsCommands.create({
        sim: values.sim!,
        payload: body,
        callbackUrl: values['callback-url'],
      });
      return values.wait ? waitForSmsCommand(client, created, timeoutSeconds * 1000) : created;
    });
    writeSmsCommand(io, values.json, sent);
    if (values.wait && sent.status === 'failed') throw new Error(`SMS Command ${sent.sid} failed`);
    if (values.wait && sent.status !== 'delivered')
      throw new Error(`SMS Command ${sent.sid} is still ${sent.status} after ${timeoutSeconds} s`);
    return 0;
  }
  if (includeSid !== undefined && includeSid !== 'start' && includeSid !== 'end' && includeSid !== 'none') {
    throw new UsageError(`--include-sid must be start, end or none, got '${includeSid}'`);
  }
  if (values.binary) {
    if (!BASE64.test(body)) throw new UsageError('with --binary the Command is base64 (e.g. AAEC/w==)');
    if (includeSid && includeSid !== 'none') throw new UsageError('--include-sid works with text Commands only');
  }
  const result = await withWireless(values, io, async (client) => {
    const created = await client.commands.create({
      sim: values.sim!,
      command: body,
      commandMode: values.binary ? 'binary' : 'text',
      includeSid: includeSid as 'none' | 'start' | 'end' | undefined,
      deliveryReceiptRequested: values['no-receipt'] ? false : undefined,
      callbackUrl: values['callback-url'],
    });
    return values.wait ? waitForOutcome(client, created, timeoutSeconds * 1000) : created;
  });
  writeCommand(io, values.json, result);
  if (values.wait && result.status === 'failed') throw new Error(`Command ${result.sid} failed`);
  if (values.wait && !isFinished(result)) {
    throw new Error(`Command ${result.sid} is still ${result.status} after ${timeoutSeconds} s`);
  }
  return 0;
}

/** Final for the sender: delivered, failed, or sent when no receipt was asked for (it can go no further). */
function isFinished(command: Command): boolean {
  return (
    command.status === 'delivered' ||
    command.status === 'failed' ||
    (command.status === 'sent' && command.delivery_receipt_requested === false)
  );
}

const POLL_INTERVAL_MS = 500;

/** Polls the Command until it finishes or the time is up; resolves with its last state either way. */
async function waitForOutcome(client: WirelessClient, created: Command, timeoutMs: number): Promise<Command> {
  const deadline = Date.now() + timeoutMs;
  let current = created;
  while (!isFinished(current) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
    current = await client.commands.fetch(created.sid!);
  }
  return current;
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      ...connectionOptions,
      ...PRODUCT_OPTION,
      sim: { type: 'string' },
      direction: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
    },
    false,
  );
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const direction = oneOf<CommandDirection>('direction', values.direction, COMMAND_DIRECTIONS);
  const status = oneOf<CommandStatus>('status', values.status, COMMAND_STATUSES);
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit must be a positive integer');
  if ((await chooseProduct(values, values.sim, io)) === 'super-sim') {
    const found = await withWireless(values, io, (client) =>
      listSmsCommands(client, { sim: values.sim, direction, status, limit }),
    );
    if (values.json) for (const item of found) writeJsonLine(io.stdout, item);
    else if (found.length === 0) io.stdout.write('no SMS Commands\n');
    else writeTable(io.stdout, LIST_HEADER, found.map(smsCommandRow));
    return 0;
  }
  const commands = await withWireless(values, io, (client) =>
    collect(client.commands.list({ sim: values.sim, direction, status, pageSize: Math.min(limit, 1000) }), limit),
  );
  if (values.json) {
    for (const item of commands) writeJsonLine(io.stdout, item);
    return 0;
  }
  if (commands.length === 0) {
    io.stdout.write('no Commands\n');
    return 0;
  }
  const rows = commands.map((c) => [
    c.sid ?? '',
    c.date_created ?? '',
    c.direction,
    c.status,
    c.command_mode,
    JSON.stringify(c.command ?? ''),
  ]);
  writeTable(io.stdout, LIST_HEADER, rows);
  return 0;
}

const LIST_HEADER = ['SID', 'CREATED', 'DIRECTION', 'STATUS', 'MODE', 'COMMAND'];

async function fetchOne(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...connectionOptions, ...PRODUCT_OPTION });
  if (positionals.length !== 1) throw new UsageError('give the SID of one Command (DC…) or SMS Command (HC…)');
  const sid = positionals[0]!;
  if ((await chooseProduct(values, sid, io)) === 'super-sim') {
    writeSmsCommand(io, values.json, await withWireless(values, io, (c) => c.superSim.smsCommands.fetch(sid)));
    return 0;
  }
  writeCommand(io, values.json, await withWireless(values, io, (c) => c.commands.fetch(sid)));
  return 0;
}

export const command: CliCommand = {
  usage: `Usage: m2m-bridge commands send --sim SID|NAME [--binary] [--include-sid start|end] [--no-receipt]
                                [--callback-url URL] [--wait [--timeout SECONDS]] [--super-sim] [--json] TEXT
       m2m-bridge commands list [--sim SID|NAME] [--direction to_sim|from_sim] [--status STATUS]
                                [--limit N] [--super-sim] [--json]
       m2m-bridge commands fetch [--super-sim] [--json] SID

send   POST /v1/Commands: TEXT up to 160 characters (125 with --include-sid), or with --binary base64 of up to
       140 bytes. Prints the new Command's SID and status (queued). With --wait, polls until it is delivered or
       failed (or sent, with --no-receipt), at most --timeout seconds (default 60); exit 1 when it failed or is
       not done in time.
list   GET /v1/Commands, newest first, at most --limit (default 50). Status: ${COMMAND_STATUSES.join(', ')}.
fetch  GET /v1/Commands/SID: one Command's current state.

Super SIM: with --super-sim, a Super SIM SID (HS… for --sim, HC… for fetch), or --config whose commands.product is
super-sim, the same actions use Super SIM's /v1/SmsCommands (on wireless.super_sim_base_url, or --super-sim-base-url):
text only, at most ${SMS_COMMAND_MAX_CHARS} characters; --binary, --include-sid and --no-receipt are refused. --wait
waits for delivered or failed.

${CONNECTION_USAGE}
`,
  async run(argv, io) {
    const [action, ...rest] = argv;
    if (action === 'send') return send(rest, io);
    if (action === 'list') return list(rest, io);
    if (action === 'fetch') return fetchOne(rest, io);
    throw new UsageError(
      action === undefined ? 'say send, list or fetch' : `unknown action '${action}' (send, list or fetch)`,
    );
  },
};
