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

/**
 * Quectel +QINDCFG (EC25&EC21 AT Commands Manual): `AT+QINDCFG="csq",<enable>[,<savetonvram>]` switches the
 * `+QIND: "csq",<rssi>,<ber>` URC; "smsfull" and the others are accepted (smsfull is always on here).
 */
const qindcfg: CommandHandler<SettingsHolder> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+QINDCFG: ("all","csq","smsfull","ring","smsincoming"),(0,1),(0,1)'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const type = (command.params[0] ?? '').toLowerCase();
  if (!['all', 'csq', 'smsfull', 'ring', 'smsincoming'].includes(type)) throw new CommandFailed(ERROR);
  if (command.params.length < 2) {
    const on = type === 'csq' ? core.settings.signalUrc : true;
    return { lines: [`+QINDCFG: "${type}",${on ? 1 : 0}`] };
  }
  const enable = intParam(command, 1, 0, 1);
  intParam(command, 2, 0, 1, 0);
  if (type === 'csq') core.updateSettings({ signalUrc: enable === 1 });
  return {};
};

/** SIMCom +AUTOCSQ=<auto>[,<mode>] (SIM7x00/A76xx manuals): 1,1 reports on change, the only mode simulated. */
const autocsq: CommandHandler<SettingsHolder> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+AUTOCSQ: (0-1),(0-1)'] };
  if (command.kind === 'read') return { lines: [`+AUTOCSQ: ${core.settings.signalUrc ? 1 : 0},1`] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const auto = intParam(command, 0, 0, 1);
  intParam(command, 1, 0, 1, 0);
  core.updateSettings({ signalUrc: auto === 1 });
  return {};
};

/** SIMCom SIM800 +EXUNSOL="SQ",<mode> (SIM800 manual): `+CSQN` on signal changes. */
const exunsol: CommandHandler<SettingsHolder> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+EXUNSOL: ("SQ"),(0-1)'] };
  if (command.kind !== 'set' || (command.params[0] ?? '').toUpperCase() !== 'SQ') throw new CommandFailed(ERROR);
  core.updateSettings({ signalUrc: intParam(command, 1, 0, 1) === 1 });
  return {};
};

/** Commands only some vendors have. */
export function vendorCommands(profile: ModemProfile): CommandTable {
  if (profile.name === 'huawei') return { '^CURC': curc, '^PORTSEL': portsel() };
  if (profile.name === 'telit') return { '#REBOOT': telitReboot };
  if (profile.name === 'quectel') return { '+QINDCFG': qindcfg };
  if (profile.name === 'simcom') return { '+AUTOCSQ': autocsq, '+EXUNSOL': exunsol };
  return {};
}
