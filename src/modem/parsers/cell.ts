import { afterPrefix, intField, splitFields, unquote } from './fields.js';
import { ACCESS_TECHNOLOGIES } from './network.js';

/**
 * The serving cell as a technician reads it off a modem: who (MCC/MNC), where (LAC or TAC, cell id), on what (access
 * technology, band, EARFCN) and how well (RSRP/RSRQ/SINR). Every field is null when the modem did not report it.
 * Snake_case: it goes into the `status` answer as it is.
 */
export interface CellDetail {
  mcc: string | null;
  mnc: string | null;
  /** Location area code (GSM/UMTS), hex as the modem prints it, upper-case. */
  lac: string | null;
  /** Tracking area code (LTE), hex, upper-case. */
  tac: string | null;
  /** Cell identity, hex, upper-case (the 28-bit E-UTRAN cell id on LTE). */
  cell_id: string | null;
  access_technology: string | null;
  /** The band as a number (3GPP E-UTRA operating band, or the GSM/UMTS band name's figure). */
  band: string | null;
  /** E-UTRA absolute radio frequency channel number (LTE only). */
  earfcn: number | null;
  rsrp_dbm: number | null;
  rsrq_db: number | null;
  sinr_db: number | null;
}

export const EMPTY_CELL: CellDetail = {
  mcc: null,
  mnc: null,
  lac: null,
  tac: null,
  cell_id: null,
  access_technology: null,
  band: null,
  earfcn: null,
  rsrp_dbm: null,
  rsrq_db: null,
  sinr_db: null,
};

/** What one answer tells about the cell: only the fields it carries. */
export type CellFacts = Partial<CellDetail>;

/** Fills what is still unknown from each source in turn: the first source that knows a field wins. */
export function mergeCell(...sources: CellFacts[]): CellDetail {
  const out: CellDetail = { ...EMPTY_CELL };
  for (const source of sources) {
    for (const key of Object.keys(out) as (keyof CellDetail)[]) {
      const value = source[key];
      if (out[key] === null && value !== undefined && value !== null)
        (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** A hex field (`"1A2B"`, `0x1A2B`), upper-case without the 0x; null for empty, `-`, all-F "unknown" values. */
export function hexField(field: string | undefined): string | null {
  if (field === undefined) return null;
  const text = unquote(field).replace(/^0x/i, '').toUpperCase();
  if (!/^[0-9A-F]+$/.test(text) || /^F+$/.test(text)) return null;
  return text;
}

/** A signed decimal field, possibly with a fraction (`13.75`); null for empty, `-`, or text. */
export function numberField(field: string | undefined): number | null {
  if (field === undefined) return null;
  const text = unquote(field);
  return /^-?\d+(?:\.\d+)?$/.test(text) ? Number(text) : null;
}

/**
 * MCC and MNC from a numeric PLMN: `"310260"`, `"310 260"`, `"262 01"`, `310-260`. 3GPP TS 23.003 §2.2: the MCC is
 * always three digits, the MNC two or three, so a six-digit run is 3+3 and a five-digit one 3+2.
 */
export function splitPlmn(text: string): { mcc: string; mnc: string } | null {
  const plmn = unquote(text).replace(/[\s-]/g, '');
  const m = /^(\d{3})(\d{2,3})$/.exec(plmn);
  return m ? { mcc: m[1]!, mnc: m[2]! } : null;
}

/**
 * `+COPS: <mode>,<format>,<oper>[,<AcT>]` (TS 27.007 §7.3). With format 2 (`AT+COPS=3,2`) `<oper>` is the numeric
 * PLMN, which names MCC and MNC; with 0 or 1 it is the operator's name, which does not.
 */
export function parseCopsNumeric(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '+COPS:');
  if (text === undefined) return {};
  const f = splitFields(text);
  const act = intField(f[3]);
  const facts: CellFacts = act === undefined ? {} : { access_technology: ACCESS_TECHNOLOGIES[act] ?? `act-${act}` };
  if (intField(f[1]) !== 2 || f[2] === undefined) return facts;
  const plmn = splitPlmn(f[2]);
  return plmn ? { ...facts, ...plmn } : facts;
}

/** `<format>` of a `+COPS?` answer (0 long name, 1 short, 2 numeric), or undefined when it has none (not registered). */
export function copsFormat(lines: readonly string[]): number | undefined {
  const text = afterPrefix(lines, '+COPS:');
  return text === undefined ? undefined : intField(splitFields(text)[1]);
}

/** `<n>` of a `+CREG?`/`+CEREG?` answer (0 no URC, 1 stat only, 2 with location …). */
export function registrationMode(lines: readonly string[], prefix: string): number | undefined {
  const text = afterPrefix(lines, prefix);
  return text === undefined ? undefined : intField(splitFields(text)[0]);
}

/**
 * The location in a registration query answered with n=2 (TS 27.007 §7.2 +CREG, §10.1.22 +CEREG):
 * `+CREG: 2,<stat>,<lac>,<ci>[,<AcT>]`, `+CEREG: 2,<stat>,<tac>,<ci>[,<AcT>]`; hex strings. `+CEREG` carries a TAC,
 * `+CREG`/`+CGREG` a LAC.
 */
export function parseRegistrationLocation(lines: readonly string[], prefix: string): CellFacts {
  const text = afterPrefix(lines, prefix);
  if (text === undefined) return {};
  const f = splitFields(text);
  if ((intField(f[0]) ?? 0) < 2 || f.length < 4) return {};
  const area = hexField(f[2]);
  const act = intField(f[4]);
  return {
    ...(prefix === '+CEREG:' ? { tac: area } : { lac: area }),
    cell_id: hexField(f[3]),
    ...(act === undefined ? {} : { access_technology: ACCESS_TECHNOLOGIES[act] ?? `act-${act}` }),
  };
}

/**
 * `+CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>` (TS 27.007 §8.69): RSRP index 0..97 → -140..-44 dBm (the same
 * reading as parseCesq), RSRQ index 0..34 → -20..-3 dB in half-dB steps; 255 means not known or not an E-UTRA cell.
 */
export function parseCesqCell(lines: readonly string[]): CellFacts {
  const text = afterPrefix(lines, '+CESQ:');
  if (text === undefined) return {};
  const f = splitFields(text).map((x) => intField(x));
  const rsrq = f[4];
  const rsrp = f[5];
  return {
    rsrp_dbm: rsrp !== undefined && rsrp <= 97 ? -140 + rsrp : null,
    rsrq_db: rsrq !== undefined && rsrq <= 34 ? -20 + rsrq / 2 : null,
  };
}
