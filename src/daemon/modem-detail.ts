import { isAtError } from '../at/errors.js';
import {
  type AskModem,
  type CellDetail,
  isInitialised,
  type Modem,
  parseCsca,
  QUIRKS,
  readCellDetail,
} from '../modem/index.js';
import type { Clock } from '../util/clock.js';
import { withDeadline } from './deadline.js';

/** What `status` shows of the modem beyond modem/state: the serving cell and the SMS centre, read when asked. */
export interface ModemDetail {
  /** The serving cell; null when the modem could not be asked at all (then `unavailable` says why). */
  cell: CellDetail | null;
  /** AT+CSCA?: the SMS centre, `''` when none is set, null when the modem refused or could not be asked. */
  sms_centre: string | null;
  /** Why nothing could be read ("modem is initializing", "no answer within 4000 ms"), or null. */
  unavailable: string | null;
}

/** Each query's own deadline: a modem that is slow on one vendor query must not eat the whole budget. */
const QUERY_TIMEOUT_MS = 2_000;

/** `status` waits this long for the detail, then answers without it (the CLI waits 5 s by default). */
const MODEM_DETAIL_BUDGET_MS = 3_500;

/** A refusal (ERROR, +CME/+CMS ERROR) is "not reported"; a timeout or a lost port ends the reading. */
function asker(modem: Modem): AskModem {
  return async (command, prefix) => {
    try {
      return (await modem.runCommand(command, { timeoutMs: QUERY_TIMEOUT_MS, ...(prefix ? { prefix } : {}) })).lines;
    } catch (error) {
      if (isAtError(error, 'error') || isAtError(error, 'cme') || isAtError(error, 'cms')) return null;
      throw error;
    }
  };
}

/**
 * Reads the cell and the SMS centre through the driver's own channel, single-flight with everything else it does, on
 * demand only (the `status` request): the periodic poll stays as quiet as it is. The daemon owns the modem, so the
 * reading may switch +COPS/+CEREG formats for a moment (cell-detail.ts puts them back).
 */
export async function readModemDetail(
  clock: Clock,
  modem: Modem | null,
  budgetMs = MODEM_DETAIL_BUDGET_MS,
): Promise<ModemDetail> {
  if (!modem) return { cell: null, sms_centre: null, unavailable: 'modem not started' };
  if (!isInitialised(modem.state)) return { cell: null, sms_centre: null, unavailable: `modem is ${modem.state}` };
  const ask = asker(modem);
  const quirks = QUIRKS[modem.status().profile] ?? QUIRKS.generic!;
  const reading = (async (): Promise<ModemDetail> => {
    const csca = await ask('AT+CSCA?', '+CSCA:');
    const cell = await readCellDetail(ask, quirks, { mayChangeFormats: true });
    return { cell, sms_centre: csca === null ? null : (parseCsca(csca) ?? null), unavailable: null };
  })();
  try {
    return await withDeadline(clock, reading, budgetMs, 'reading the cell detail');
  } catch (error) {
    // The reading goes on in the background and puts the formats back; the answer goes out without it.
    reading.catch(() => {});
    return { cell: null, sms_centre: null, unavailable: (error as Error).message };
  }
}
