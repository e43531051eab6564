import { parseSignalUrc } from '../parsers/network.js';
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
  // AT+QINDCFG="csq",1 (EC25&EC21 AT Commands Manual §"AT+QINDCFG"; off by default): `+QIND: "csq",<rssi>,<ber>`
  // whenever signal or bit error rate change (asterisk-chan-quectel enables it the same way and logs
  // `+QIND: "csq",27,99`). Not saved to NVRAM: the optional third parameter is left out.
  signalUrc: {
    enableCommands: ['AT+QINDCFG="csq",1'],
    match: /^\+QIND:\s*"csq",/i,
    parse: (line) => parseSignalUrc(line, /^\+QIND:\s*"csq",/i),
  },
};
