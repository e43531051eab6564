import { parseUbloxUcged } from '../parsers/serving-cell.js';
import { generic } from './generic.js';
import type { ModemQuirks } from './types.js';

/** u-blox SARA (SARA-R4/N4 AT Commands Manual UBX-17003787): AT+CCID → `+CCID:`; AT+CFUN=16 resets the module. */
export const ublox: ModemQuirks = {
  ...generic,
  name: 'ublox',
  matches: (m) => /u-?blox/i.test(m),
  iccidCommands: [{ command: 'AT+CCID', prefix: '+CCID:' }],
  resetCommand: 'AT+CFUN=16',
  // No prefix: the cell lines after `+UCGED: 2` carry none.
  servingCellQueries: [{ command: 'AT+UCGED?', parse: parseUbloxUcged }],
};
