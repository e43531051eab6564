import type { ModemProfile } from '../profiles.js';
import { generalCommands } from './general.js';
import { networkCommands } from './network.js';
import { packetDomainCommands } from './packet-domain.js';
import { servingCellCommands } from './serving-cell.js';
import { simLockCommands } from './sim-lock.js';
import { smsMessageCommands } from './sms-messages.js';
import { smsSettingsCommands } from './sms-settings.js';
import type { CommandTable } from './types.js';
import { vendorCommands } from './vendor.js';

/** Every command the simulated modem knows, for its profile. Anything else is answered as unknown. */
export function commandTable(profile: ModemProfile): CommandTable {
  return {
    ...generalCommands(profile),
    ...networkCommands(),
    ...packetDomainCommands(),
    ...simLockCommands(profile),
    ...smsSettingsCommands(),
    ...smsMessageCommands(),
    ...vendorCommands(profile),
    ...servingCellCommands(profile),
  };
}
