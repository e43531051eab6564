import {
  type CellDetail,
  type CellFacts,
  copsFormat,
  mergeCell,
  parseCesqCell,
  parseCopsNumeric,
  parseRegistrationLocation,
  registrationMode,
} from './parsers/cell.js';
import { isRegistered, parseRegistrationQuery } from './parsers/network.js';
import type { ModemQuirks } from './quirks/types.js';

/** One query: the answer's lines, or null when the modem refused it (ERROR, +CME ERROR). Timeouts and a lost port throw. */
export type AskModem = (command: string, prefix?: string) => Promise<string[] | null>;

export interface CellReadOptions {
  /**
   * Whether the reading may switch report formats for a moment (`AT+COPS=3,2` for the numeric PLMN, `AT+CEREG=2` for
   * the location) and put them back after. The daemon owns the modem and may; `doctor` on the port promises to send
   * only queries, so it reads what the current formats show plus the vendor's query.
   */
  mayChangeFormats: boolean;
}

const known = (facts: CellFacts, ...keys: (keyof CellDetail)[]) =>
  keys.every((key) => facts[key] !== undefined && facts[key] !== null);

async function vendorFacts(ask: AskModem, quirks: ModemQuirks): Promise<CellFacts> {
  for (const query of quirks.servingCellQueries) {
    const lines = await ask(query.command, query.prefix);
    if (lines === null) continue;
    const facts = query.parse(lines);
    if (Object.values(facts).some((value) => value !== null && value !== undefined)) return facts;
  }
  return {};
}

/** MCC/MNC from +COPS in numeric format (TS 27.007 §7.3), the driver's own format set again in the same line. */
async function operatorFacts(ask: AskModem, options: CellReadOptions): Promise<CellFacts> {
  const lines = await ask('AT+COPS?', '+COPS:');
  if (lines === null) return {};
  const format = copsFormat(lines);
  // No format: not registered, nothing to name. The driver sets the long name (AT+COPS=3,0) for modem/state.
  if (format === undefined || format === 2 || !options.mayChangeFormats) return parseCopsNumeric(lines);
  // One command line (V.250 §5.4: extended commands joined by `;`), so nothing of the driver's own can run between
  // the switch and the switch back and read the numeric format as the operator's name. A refusal stops the line.
  const numeric = await ask(`AT+COPS=3,2;+COPS?;+COPS=3,${format}`, '+COPS:');
  return numeric === null ? parseCopsNumeric(lines) : parseCopsNumeric(numeric);
}

/** LAC/TAC and cell id from +CEREG/+CREG with n=2 (TS 27.007 §7.2, §10.1.22); the previous <n> set again after. */
async function locationFacts(
  ask: AskModem,
  prefix: '+CEREG:' | '+CREG:',
  options: CellReadOptions,
): Promise<CellFacts> {
  const command = `AT${prefix.slice(0, -1)}`;
  const lines = await ask(`${command}?`, prefix);
  if (lines === null) return {};
  const n = registrationMode(lines, prefix);
  // Not registered on this domain (an LTE modem's +CREG, a GSM modem's +CEREG): there is no cell to locate.
  if (!isRegistered(parseRegistrationQuery(lines, prefix))) return {};
  if (n === undefined || n >= 2 || !options.mayChangeFormats) return parseRegistrationLocation(lines, prefix);
  // One line, as for +COPS: the driver's registration URC handler never sees the n=2 form in between.
  const name = command.slice(2);
  const located = await ask(`${command}=2;${name}?;${name}=${n}`, prefix);
  return located === null ? {} : parseRegistrationLocation(located, prefix);
}

/**
 * Reads the serving cell on demand: the vendor's serving-cell query first (one command answers nearly everything on
 * Quectel, SIMCom SIM7x00, u-blox and Telit), then only the 3GPP queries for what it left unknown — +COPS numeric for
 * MCC/MNC, +CEREG (LTE) or +CREG for the location, +CESQ for RSRP/RSRQ. A query the modem refuses leaves its fields
 * null ("not reported"); it never fails the reading.
 */
export async function readCellDetail(
  ask: AskModem,
  quirks: ModemQuirks,
  options: CellReadOptions,
): Promise<CellDetail> {
  const facts: CellFacts[] = [await vendorFacts(ask, quirks)];
  const sofar = () => mergeCell(...facts);
  if (!known(sofar(), 'mcc', 'mnc')) facts.push(await operatorFacts(ask, options));
  if (!known(sofar(), 'cell_id') || (!known(sofar(), 'tac') && !known(sofar(), 'lac'))) {
    const lte = await locationFacts(ask, '+CEREG:', options);
    facts.push(lte);
    if (!known(lte, 'cell_id')) facts.push(await locationFacts(ask, '+CREG:', options));
  }
  if (!known(sofar(), 'rsrp_dbm')) facts.push(parseCesqCell((await ask('AT+CESQ', '+CESQ:')) ?? []));
  return sofar();
}
