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
import type { RegistrationByDomain } from './registration.js';
import type { NetworkStatus } from './types.js';

async function lines(channel: AtChannel, command: string, prefix: string): Promise<string[] | undefined> {
  try {
    return (await channel.run(command, { prefix })).lines;
  } catch (error) {
    if (isAtError(error) && (error.kind === 'cme' || error.kind === 'cms' || error.kind === 'error')) return undefined;
    throw error;
  }
}

interface NetworkPollOptions {
  /** Ask +CSQ (and +CESQ). False once a vendor signal URC reports the signal (ModemQuirks.signalUrc). */
  signal: boolean;
  /** What each domain answered, for combining with later URCs (registration.ts); the result says the combination. */
  registrations?: RegistrationByDomain;
}

/**
 * Registration (+CREG, then +CEREG/+CGREG for LTE-only and data-only modems), operator (+COPS) and signal (+CSQ, or
 * +CESQ when +CSQ says 99 "unknown", as LTE Cat-M/NB modems do). Timeouts and port loss propagate to the caller.
 * `previous` supplies the signal when it is not asked for.
 */
export async function pollNetwork(
  channel: AtChannel,
  options: NetworkPollOptions = { signal: true },
  previous?: NetworkStatus,
): Promise<NetworkStatus> {
  let registration: Registration | undefined = parseRegistrationQuery(
    (await lines(channel, 'AT+CREG?', '+CREG:')) ?? [],
  );
  options.registrations?.reset();
  if (registration) options.registrations?.update('creg', registration);
  if (!isRegistered(registration)) {
    const eps = parseRegistrationQuery((await lines(channel, 'AT+CEREG?', '+CEREG:')) ?? [], '+CEREG:');
    if (eps) options.registrations?.update('cereg', eps);
    if (isRegistered(eps)) registration = eps;
  }
  const op = parseCops((await lines(channel, 'AT+COPS?', '+COPS:')) ?? []);
  let signal = previous?.signal ?? { rssi_dbm: null, quality: 'none' };
  if (options.signal) {
    signal = parseCsq((await lines(channel, 'AT+CSQ', '+CSQ:')) ?? []);
    if (signal.rssi_dbm === null) {
      const cesq = await lines(channel, 'AT+CESQ', '+CESQ:');
      if (cesq) signal = parseCesq(cesq);
    }
  }
  return {
    registration: registration ?? null,
    operator: op.name ?? null,
    access_technology: op.accessTechnology ?? null,
    signal,
  };
}
