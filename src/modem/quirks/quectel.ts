import { parseQuectelServingCell } from '../parsers/serving-cell.js';
import { generic } from './generic.js';
import type { ModemQuirks } from './types.js';

/**
 * Quectel EC25/EG25 (EC25&EC21 AT Commands Manual V1.3): SMS are stored in ME by default, ICCID via AT+QCCID,
 * `+QIND: SMS DONE` once SMS is usable, `+QIND: "smsfull"` when storage is full (AT+QINDCFG).
 */
export const quectel: ModemQuirks = {
  ...generic,
  name: 'quectel',
  matches: (m) => /quectel/i.test(m),
  storageOrder: ['ME', 'MT', 'SM'],
  iccidCommands: [{ command: 'AT+QCCID', prefix: '+QCCID:' }, ...generic.iccidCommands],
  servingCellQueries: [{ command: 'AT+QENG="servingcell"', prefix: '+QENG:', parse: parseQuectelServingCell }],
};
