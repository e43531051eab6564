/**
 * The serving cell the simulated modem is camped on, as the network side of a test wants it: identity (MCC/MNC,
 * LAC/TAC, cell id), radio channel and what the modem measures. +COPS numeric, +CREG/+CEREG n=2, +CESQ and each
 * vendor's serving-cell command answer from it (commands/network.ts, commands/serving-cell.ts). Settable through
 * `SimulatedModemOptions.cell` and the control API (`POST /cell`).
 */
export interface SimulatedCell {
  mcc: string;
  mnc: string;
  /** Location area code (GSM/UMTS), hex. */
  lac: string;
  /** Tracking area code (LTE), hex. */
  tac: string;
  /** Cell identity, hex (28 bits on LTE). */
  cellId: string;
  /** Physical cell id (LTE), 0..503. */
  pci: number;
  earfcn: number;
  /** E-UTRA operating band. */
  band: number;
  /** dBm, -140..-44. */
  rsrp: number;
  /** dB, -20..-3. */
  rsrq: number;
  /** dB, -20..30. */
  sinr: number;
  /** dBm. */
  rssi: number;
  /** Whether the vendor's serving-cell command answers; false: ERROR, as on firmware that lacks it. */
  servingCellQuery: boolean;
}

export const DEFAULT_CELL: SimulatedCell = {
  mcc: '310',
  mnc: '260',
  // The location the registration URCs have always carried (modem-core.ts), so queries and URCs agree.
  lac: '1A2B',
  tac: '1A2B',
  cellId: '01C3D4E5',
  pci: 123,
  earfcn: 5110,
  band: 12,
  rsrp: -90,
  rsrq: -10,
  sinr: 13,
  rssi: -60,
  servingCellQuery: true,
};

export class CellSpecError extends Error {
  override name = 'CellSpecError';
}

const HEX = /^[0-9A-F]{1,8}$/i;
const RULES: Record<keyof SimulatedCell, (value: unknown) => boolean> = {
  mcc: (v) => typeof v === 'string' && /^\d{3}$/.test(v),
  mnc: (v) => typeof v === 'string' && /^\d{2,3}$/.test(v),
  lac: (v) => typeof v === 'string' && HEX.test(v),
  tac: (v) => typeof v === 'string' && HEX.test(v),
  cellId: (v) => typeof v === 'string' && HEX.test(v),
  pci: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 503,
  earfcn: (v) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 262143,
  band: (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 255,
  rsrp: (v) => typeof v === 'number' && v >= -140 && v <= -44,
  rsrq: (v) => typeof v === 'number' && v >= -20 && v <= -3,
  sinr: (v) => typeof v === 'number' && v >= -20 && v <= 30,
  rssi: (v) => typeof v === 'number' && v >= -120 && v <= -20,
  servingCellQuery: (v) => typeof v === 'boolean',
};

/** The cell with `update` applied; an unknown key or a value out of range is refused naming it. */
export function updateCell(cell: SimulatedCell, update: Record<string, unknown>): SimulatedCell {
  const next = { ...cell };
  for (const [key, value] of Object.entries(update)) {
    const rule = Object.hasOwn(RULES, key) ? RULES[key as keyof SimulatedCell] : undefined;
    if (!rule) throw new CellSpecError(`unknown cell field '${key}'; known: ${Object.keys(RULES).join(', ')}`);
    if (!rule(value)) throw new CellSpecError(`cell field '${key}': ${JSON.stringify(value)} is out of range`);
    (next as Record<string, unknown>)[key] = value;
  }
  return next;
}

/** TS 27.007 §8.69 indices: RSRP -140 + index dBm (0..97), RSRQ -20 + index/2 dB (0..34). */
export function rsrpIndex(dbm: number): number {
  return Math.max(0, Math.min(97, Math.round(dbm + 140)));
}

export function rsrqIndex(db: number): number {
  return Math.max(0, Math.min(34, Math.round((db + 20) * 2)));
}
