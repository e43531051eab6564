import type { SettingsHolder, UrcSink } from '../modem-host.js';
import type { ModemProfile } from '../profiles.js';
import { CommandFailed, ERROR } from '../result-codes.js';
import { intParam } from './params.js';
import type { CommandHandler, CommandTable } from './types.js';

/**
 * Huawei ^CURC (HUAWEI E-series/MU609 AT Command Interface Specification): 0 stops the periodic URCs (^RSSI,
 * ^MODE, ^NWTIME ...), 1 restores them. gammu sends AT^CURC=0 when it sees a Huawei modem (its ATGEN Huawei init).
 */
const curc: CommandHandler<SettingsHolder> = (command, core) => {
  if (command.kind === 'read') return { lines: [`^CURC: ${core.settings.vendorUrcs ? 1 : 0}`] };
  if (command.kind === 'test') return { lines: ['^CURC: (0-1)'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  core.updateSettings({ vendorUrcs: intParam(command, 0, 0, 1) === 1 });
  return {};
};

/** Huawei ^PORTSEL (same specification): which port carries URCs, 0 modem port, 1 PCUI. One port here: accepted. */
function portsel(): CommandHandler<unknown> {
  let port = 0;
  return (command) => {
    if (command.kind === 'read') return { lines: [`^PORTSEL: ${port}`] };
    if (command.kind === 'test') return { lines: ['^PORTSEL: (0-1)'] };
    if (command.kind !== 'set') throw new CommandFailed(ERROR);
    port = intParam(command, 0, 0, 1);
    return {};
  };
}

/** Telit #REBOOT (LE910Cx AT reference guide): OK, then the module restarts, like AT+CFUN=1,1. */
const telitReboot: CommandHandler<Pick<UrcSink, 'event'>> = (command, core) => {
  if (command.kind !== 'exec') throw new CommandFailed(ERROR);
  setImmediate(() => core.event('reset_requested', {}));
  return {};
};

/** Commands only some vendors have. */
export function vendorCommands(profile: ModemProfile): CommandTable {
  if (profile.name === 'huawei') return { '^CURC': curc, '^PORTSEL': portsel() };
  if (profile.name === 'telit') return { '#REBOOT': telitReboot };
  return {};
}
