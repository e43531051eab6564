import { generic } from './generic.js';
import type { ModemQuirks } from './types.js';

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
