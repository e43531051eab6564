import { cellReported, formatCellIdentity, formatCellSignal } from '../cell-format.js';
import { type CheckResult, pass, skip } from './check.js';

/**
 * The serving cell (MCC/MNC, LAC/TAC, cell id, band, EARFCN, RSRP/RSRQ/SINR) for the technician: information, never a
 * failure — what the modem does not report is "not reported", and a modem that refuses the vendor's query still
 * passes with what +COPS/+CREG/+CESQ said. `cell` null: it could not be read at all, `reason` says why.
 */
export function cellResult(detail: object | null, reason: string | null): CheckResult {
  const title = 'serving cell';
  const cell = detail as Record<string, unknown> | null;
  if (cell === null) return skip('network.cell', title, `not read: ${reason ?? 'no answer'}`);
  if (!cellReported(cell)) return skip('network.cell', title, 'not reported by this modem');
  return pass('network.cell', title, `${formatCellIdentity(cell)}; ${formatCellSignal(cell)}`);
}
