import type { CommandDirection, CommandStatus, SmsCommand, WirelessClient } from '../wireless/index.js';
import { collect } from '../wireless/index.js';
import type { CliIo } from './command.js';
import { UsageError, writeJsonLine } from './command.js';

/**
 * Super SIM's SmsCommands for `m2m-bridge commands` (twilio_supersim_v1.json: POST/GET /v1/SmsCommands, GET
 * /v1/SmsCommands/{Sid}). Text only, `Payload` at most 160 characters (FACTS.md): no binary mode, no IncludeSid, no
 * delivery receipt switch. The Programmable Wireless half is commands.ts.
 */
type ApiProduct = 'programmable-wireless' | 'super-sim';

/** FACTS.md: a Super SIM SMS Command's payload is text of at most 160 characters. */
export const SMS_COMMAND_MAX_CHARS = 160;

/** The product a SID names by its prefix (FACTS.md: Sims DE…/HS…, Commands DC…/HC…), or null for a unique name. */
function productOfSid(sid: string | undefined): ApiProduct | null {
  if (sid === undefined) return null;
  if (/^(?:HS|HC)[0-9a-f]{32}$/i.test(sid)) return 'super-sim';
  if (/^(?:DE|DC)[0-9a-f]{32}$/i.test(sid)) return 'programmable-wireless';
  return null;
}

/**
 * Which API a `commands` action talks to: `--super-sim`, else the SID's prefix, else the config's commands.product
 * (with --config), else Programmable Wireless. A SID of the other product than `--super-sim` says is refused: the
 * API would answer 404 and leave the user guessing.
 */
export async function chooseProduct(
  values: { 'super-sim'?: boolean; config?: string },
  sid: string | undefined,
  io: CliIo,
): Promise<ApiProduct> {
  const bySid = productOfSid(sid);
  if (values['super-sim']) {
    if (bySid === 'programmable-wireless')
      throw new UsageError(`${sid} is a Programmable Wireless SID (DE…/DC…): leave out --super-sim`);
    return 'super-sim';
  }
  if (bySid) return bySid;
  if (values.config !== undefined) {
    const { loadConfig } = await import('../config/index.js');
    return loadConfig({ configPath: values.config, env: io.env, flags: {} }).config.commands.product;
  }
  return 'programmable-wireless';
}

/** Refuses what a Super SIM SMS Command cannot carry, before the API is called (exit 2). */
export function checkSmsCommandPayload(
  payload: string,
  flags: { binary?: boolean; includeSid?: string; noReceipt?: boolean },
) {
  if (flags.binary) throw new UsageError('a Super SIM SMS Command is text only: leave out --binary');
  if (flags.includeSid !== undefined) throw new UsageError('--include-sid is Programmable Wireless only');
  if (flags.noReceipt) throw new UsageError('--no-receipt is Programmable Wireless only');
  const length = [...payload].length;
  if (length > SMS_COMMAND_MAX_CHARS)
    throw new UsageError(`a Super SIM SMS Command is at most ${SMS_COMMAND_MAX_CHARS} characters, this one ${length}`);
}

export function writeSmsCommand(io: CliIo, json: boolean | undefined, command: SmsCommand): void {
  if (json) writeJsonLine(io.stdout, command);
  else io.stdout.write(`${command.sid} ${command.status} ${command.direction} ${command.sim_sid}\n`);
}

const POLL_INTERVAL_MS = 500;

/** Polls the SMS Command until it is delivered or failed, or the time is up; resolves with its last state. */
export async function waitForSmsCommand(
  client: WirelessClient,
  created: SmsCommand,
  timeoutMs: number,
): Promise<SmsCommand> {
  const deadline = Date.now() + timeoutMs;
  let current = created;
  const finished = (c: SmsCommand) => c.status === 'delivered' || c.status === 'failed';
  while (!finished(current) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
    current = await client.superSim.smsCommands.fetch(created.sid!);
  }
  return current;
}

export function listSmsCommands(
  client: WirelessClient,
  filters: { sim?: string; direction?: CommandDirection; status?: CommandStatus; limit: number },
): Promise<SmsCommand[]> {
  const { limit, ...rest } = filters;
  return collect(client.superSim.smsCommands.list({ ...rest, pageSize: Math.min(limit, 1000) }), limit);
}

export function smsCommandRow(c: SmsCommand): string[] {
  return [c.sid ?? '', c.date_created ?? '', c.direction, c.status, 'text', JSON.stringify(c.payload ?? '')];
}
