/**
 * The serving cell (src/modem/parsers/cell.ts, as the daemon's `status` answer or doctor's own reading carries it) in
 * words for a terminal. A field the modem did not report says so: "not reported" is an answer, not an error.
 */

type Obj = Record<string, unknown>;

const NOT_REPORTED = 'not reported';

function value(cell: Obj, key: string, unit = ''): string {
  const v = cell[key];
  return v === null || v === undefined ? NOT_REPORTED : `${String(v)}${unit}`;
}

/** `MCC 310 MNC 260, TAC 1A2B, cell 01C3D4E5 (LTE, band 12, EARFCN 5110)`. */
export function formatCellIdentity(cell: Obj): string {
  const area =
    cell.tac !== null && cell.tac !== undefined
      ? `TAC ${String(cell.tac)}`
      : cell.lac !== null && cell.lac !== undefined
        ? `LAC ${String(cell.lac)}`
        : `LAC/TAC ${NOT_REPORTED}`;
  const radio = [value(cell, 'access_technology'), `band ${value(cell, 'band')}`, `EARFCN ${value(cell, 'earfcn')}`];
  return `MCC ${value(cell, 'mcc')} MNC ${value(cell, 'mnc')}, ${area}, cell ${value(cell, 'cell_id')} (${radio.join(', ')})`;
}

/** `RSRP -90 dBm, RSRQ -10 dB, SINR 13 dB`. */
export function formatCellSignal(cell: Obj): string {
  return `RSRP ${value(cell, 'rsrp_dbm', ' dBm')}, RSRQ ${value(cell, 'rsrq_db', ' dB')}, SINR ${value(cell, 'sinr_db', ' dB')}`;
}

/** Whether any field of the cell is known. */
export function cellReported(cell: Obj): boolean {
  return Object.values(cell).some((v) => v !== null && v !== undefined);
}
