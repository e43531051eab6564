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
};

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
};

/** u-blox SARA (SARA-R4/N4 AT Commands Manual UBX-17003787): AT+CCID → `+CCID:`; AT+CFUN=16 resets the module. */
export const ublox: ModemQuirks = {
  ...generic,
  name: 'ublox',
  matches: (m) => /u-?blox/i.test(m),
  iccidCommands: [{ command: 'AT+CCID', prefix: '+CCID:' }],
  resetCommand: 'AT+CFUN=16',
};

/**
 * Huawei E3131 and the MU/ME modules (HUAWEI AT Command Interface Specification): ^RSSI/^MODE/^NWTIME arrive inside
 * responses (ModemManager's huawei plugin registers them as URCs); ICCID via AT^ICCID?.
 */
export const huawei: ModemQuirks = {
  ...generic,
  name: 'huawei',
  matches: (m) => /huawei/i.test(m),
  storageOrder: ['SM', 'ME'],
  iccidCommands: [{ command: 'AT^ICCID?', prefix: '^ICCID:' }, ...generic.iccidCommands],
};

/** Telit (AT Commands Reference Guide 80000ST10025a): ICCID via AT#CCID; AT#REBOOT restarts the module. */
export const telit: ModemQuirks = {
  ...generic,
  name: 'telit',
  matches: (m) => /telit/i.test(m),
  iccidCommands: [{ command: 'AT#CCID', prefix: '#CCID:' }, ...generic.iccidCommands],
  resetCommand: 'AT#REBOOT',
};
