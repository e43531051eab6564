import type { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import {
  isRegistered,
  parseCesq,
  parseCops,
  parseCsq,
  parseRegistrationQuery,
  type Registration,
} from './parsers/network.js';
import { type MemoryUse, parseCpmsUsage } from './parsers/storage.js';
import type { NetworkStatus } from './types.js';

async function lines(channel: AtChannel, command: string, prefix: string): Promise<string[] | undefined> {
  try {
    return (await channel.run(command, { prefix })).lines;
  } catch (error) {
    if (isAtError(error) && (error.kind === 'cme' || error.kind === 'cms' || error.kind === 'error')) return undefined;
    throw error;
  }
}

/**
 * Registration (+CREG, then +CEREG/+CGREG for LTE-only and data-only modems), operator (+COPS) and signal (+CSQ, or
 * +CESQ when +CSQ says 99 "unknown", as LTE Cat-M/NB modems do). Timeouts and port loss propagate to the caller.
 */
export async function pollNetwork(channel: AtChannel): Promise<NetworkStatus> {
  let registration: Registration | undefined = parseRegistrationQuery(
    (await lines(channel, 'AT+CREG?', '+CREG:')) ?? [],
  );
  if (!isRegistered(registration)) {
    const eps = parseRegistrationQuery((await lines(channel, 'AT+CEREG?', '+CEREG:')) ?? [], '+CEREG:');
    if (isRegistered(eps)) registration = eps;
  }
  const op = parseCops((await lines(channel, 'AT+COPS?', '+COPS:')) ?? []);
  let signal = parseCsq((await lines(channel, 'AT+CSQ', '+CSQ:')) ?? []);
  if (signal.rssi_dbm === null) {
    const cesq = await lines(channel, 'AT+CESQ', '+CESQ:');
    if (cesq) signal = parseCesq(cesq);
  }
  return {
    registration: registration ?? null,
    operator: op.name ?? null,
    access_technology: op.accessTechnology ?? null,
    signal,
  };
}

/** `AT+CPMS?` → use of the receive memory (<mem3>, where new messages go); undefined when the modem will not say. */
export async function pollStorage(channel: AtChannel): Promise<MemoryUse | undefined> {
  const answer = await lines(channel, 'AT+CPMS?', '+CPMS:');
  const uses = parseCpmsUsage(answer ?? []);
  return uses[2] ?? uses[0];
}
