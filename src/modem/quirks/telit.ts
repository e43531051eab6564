import { parseTelitRfsts, parseTelitServinfo } from '../parsers/serving-cell.js';
import { generic } from './generic.js';
import type { ModemQuirks } from './types.js';

/** Telit (AT Commands Reference Guide 80000ST10025a): ICCID via AT#CCID; AT#REBOOT restarts the module. */
export const telit: ModemQuirks = {
  ...generic,
  name: 'telit',
  matches: (m) => /telit/i.test(m),
  iccidCommands: [{ command: 'AT#CCID', prefix: '#CCID:' }, ...generic.iccidCommands],
  resetCommand: 'AT#REBOOT',
  servingCellQueries: [
    { command: 'AT#RFSTS', prefix: '#RFSTS:', parse: parseTelitRfsts },
    { command: 'AT#SERVINFO', prefix: '#SERVINFO:', parse: parseTelitServinfo },
  ],
};
