import { parseSimcomCpsi } from '../parsers/serving-cell.js';
import { generic } from './generic.js';
import type { ModemQuirks } from './types.js';

/**
 * SIMCom SIM800/SIM7000/SIM7600 (SIM800 Series AT Command Manual V1.09 §19.3): `RDY`, `Call Ready`, `SMS Ready` after
 * boot; SIM7600 also prints `START` (AT Command Manual V1.07). ICCID via AT+CCID (bare digits on SIM800) or
 * AT+CICCID (`+ICCID:` on SIM7x00).
 */
export const simcom: ModemQuirks = {
  ...generic,
  name: 'simcom',
  matches: (m, model) => /simcom/i.test(m) || /^SIM(800|900|7\d{3})/i.test(model),
  iccidCommands: [
    { command: 'AT+CICCID', prefix: '+ICCID:' },
    { command: 'AT+CCID', prefix: '+CCID:' },
  ],
  // SIM7x00 only: the SIM800 answers ERROR, and the cell is then what +COPS/+CREG/+CESQ say.
  servingCellQueries: [{ command: 'AT+CPSI?', prefix: '+CPSI:', parse: parseSimcomCpsi }],
};
