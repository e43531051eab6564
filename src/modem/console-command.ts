import type { AtChannel } from '../at/channel.js';
import { RETRY_QUERIES } from './parsers/sim-lock.js';
import type { ModemQuirks } from './quirks/index.js';

/** A query the modem's vendor defines, exactly as the driver sends it, with its answer's prefix (if any). */
export interface ConsoleQuery {
  command: string;
  prefix?: string;
}

/**
 * The read-only queries the driver itself sends to this vendor's modem — the ICCID forms, the serving-cell queries
 * (`AT+QENG="servingcell"`, `AT+CPSI?`, `AT#RFSTS` …) and the PIN/PUK counters (`AT+CPINR`, `AT+QPINC="SC"` …) — so
 * the console through the daemon may run them too (src/daemon/at-action.ts). Each is a read: nothing here changes
 * the modem's settings.
 */
export function consoleQueriesOf(quirks: ModemQuirks): ConsoleQuery[] {
  const queries: ConsoleQuery[] = [
    ...quirks.iccidCommands,
    ...quirks.servingCellQueries,
    ...RETRY_QUERIES.map(({ command }) => ({ command })),
  ];
  return queries.map(({ command, prefix }) => (prefix === undefined ? { command } : { command, prefix }));
}

/** One printable `AT…` line: what the console may put on the driver's channel (see runConsoleCommand). */
const SINGLE_AT_LINE = /^AT[\x20-\x7e]{0,254}$/i;

/**
 * Runs one raw AT command on the driver's own channel — single-flight with init, sweeps and sends, never a second
 * opener of the port — and resolves with its intermediate lines (AtError on ERROR/+CME/+CMS/timeout). For the
 * technician console through the daemon (src/daemon/at-action.ts), which applies the allow-list; this refuses what
 * could derail the channel itself: anything but one printable `AT…` line. CR or LF would end the command early and
 * start another, Ctrl-Z or ESC would close or cancel an SMS input mode (3GPP TS 27.005 §3.5.1).
 * `notOpen` says why there is no channel (the modem's state and reason) when `channel` is absent or closed.
 */
export async function runConsoleCommand(
  channel: AtChannel | undefined,
  notOpen: string,
  command: string,
  options: { timeoutMs?: number; prefix?: string },
): Promise<{ lines: string[] }> {
  if (typeof command !== 'string' || !SINGLE_AT_LINE.test(command)) {
    throw new RangeError(`not a single AT command line (AT…, printable ASCII, no CR/LF/Ctrl-Z/ESC, ≤ 256 characters)`);
  }
  if (!channel || channel.isClosed) throw new Error(notOpen);
  // With `prefix` (`+CREG:` for AT+CREG?) the answer is never taken for the driver's own URC of that name, which
  // would otherwise swallow it and feed "+CREG: 0,1" (n,stat) to the registration URC parser (stat[,lac,ci]).
  const { lines } = await channel.run(command, {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
  });
  return { lines };
}
