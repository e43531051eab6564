import { parseSignalUrc } from '../parsers/network.js';
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
  // `+CSQN: <rssi>,<ber>` "when <rssi>, <ber> values change" (SIM800 Series AT Command Manual, URC list). SIM7x00 and
  // A76xx switch it on with AT+AUTOCSQ=1,1 (auto report, on change; A76XX AT Command Manual §3.2.3), SIM800 with
  // AT+EXUNSOL="SQ",1; asterisk-chan-quectel's SIMCom init sends both. The driver stops polling +CSQ only once a
  // +CSQN has actually arrived, so a firmware that accepts the command but reports otherwise keeps being polled.
  signalUrc: {
    enableCommands: ['AT+AUTOCSQ=1,1', 'AT+EXUNSOL="SQ",1'],
    match: /^\+CSQN:/,
    parse: (line) => parseSignalUrc(line, /^\+CSQN:\s*/),
  },
};
