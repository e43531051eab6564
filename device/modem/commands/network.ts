import { rsrpIndex, rsrqIndex } from '../cell.js';
import type { ModemIdentity, RadioAccess, SettingsHolder } from '../modem-host.js';
import { CommandFailed, ERROR } from '../result-codes.js';
import { intParam } from './params.js';
import type { CommandHandler, CommandTable } from './types.js';

/** What the network commands use of the core: registration, signal and operator, the +CxREG settings. */
type NetworkHost = Pick<ModemIdentity, 'profile'> & RadioAccess & SettingsHolder;

type RegistrationSetting = 'creg' | 'cgreg' | 'cereg';

/** +CREG / +CGREG / +CEREG (TS 27.007 §7.2, §10.1.19, §10.1.22): <n> 0-2, read `<n>,<stat>[,<lac>,<ci>,<AcT>]`. */
function registration(name: string, setting: RegistrationSetting): CommandHandler<NetworkHost> {
  return (command, core) => {
    if (command.kind === 'test') return { lines: [`${name}: (0-2)`] };
    if (command.kind === 'read') {
      const n = core.settings[setting];
      const stat = core.registrationStat();
      const location = n >= 2 && core.isRegistered() ? locationFields(core, setting) : '';
      return { lines: [`${name}: ${n},${stat}${location}`] };
    }
    core.updateSettings({ [setting]: command.kind === 'exec' ? 0 : intParam(command, 0, 0, 2) });
    return {};
  };
}

/** `,<lac|tac>,<ci>,<AcT>` of an n=2 answer from the serving cell: +CEREG names the TAC, +CREG/+CGREG the LAC. */
function locationFields(core: NetworkHost, setting: RegistrationSetting): string {
  const area = setting === 'cereg' ? core.cell.tac : core.cell.lac;
  return `,"${area}","${core.cell.cellId}",${core.profile.accessTechnology}`;
}

/** <oper> in the format AT+COPS=3,<format> chose: the name (0, 1) or the numeric PLMN (2). */
function operatorField(core: NetworkHost): string {
  return core.settings.copsFormat === 2 ? `"${core.cell.mcc}${core.cell.mnc}"` : `"${core.operator}"`;
}

/** AT+COPS=<mode>[,<format>]: automatic selection only (any mode is accepted); mode 3 sets just the format. */
function copsSet(command: Parameters<CommandHandler>[0], core: SettingsHolder): void {
  const mode = intParam(command, 0, 0, 4);
  if (command.params[1] !== undefined && command.params[1] !== '') {
    const format = intParam(command, 1, 0, 2);
    if (mode === 3 || mode === 0 || mode === 1) core.updateSettings({ copsFormat: format });
  }
}

/** +COPS (TS 27.007 §7.3): automatic selection only; read shows the operator once registered. */
const cops: CommandHandler<NetworkHost> = (command, core) => {
  if (command.kind === 'read') {
    if (!core.isRegistered()) return { lines: ['+COPS: 0'] };
    return { lines: [`+COPS: 0,${core.settings.copsFormat},${operatorField(core)},${core.profile.accessTechnology}`] };
  }
  if (command.kind === 'test') {
    const act = core.profile.accessTechnology;
    const name = core.operator;
    return { lines: [`+COPS: (2,"${name}","${name}","${core.cell.mcc}${core.cell.mnc}",${act}),,(0-4),(0-2)`] };
  }
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  copsSet(command, core);
  return {};
};

/** +CSQ (TS 27.007 §8.5): <rssi>,<ber>; 99,99 without service. */
const csq: CommandHandler<NetworkHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CSQ: (0-31,99),(0-7,99)'] };
  if (command.kind !== 'exec') throw new CommandFailed(ERROR);
  const rssi = core.rssi();
  return { lines: [`+CSQ: ${rssi},99`] };
};

/** +CESQ (TS 27.007 §8.69): LTE RSRQ/RSRP when registered on E-UTRAN, unknown otherwise. */
const cesq: CommandHandler<NetworkHost> = (command, core) => {
  if (command.kind === 'test')
    return { lines: ['+CESQ: (0-63,99),(0-7,99),(0-96,255),(0-49,255),(0-34,255),(0-97,255)'] };
  if (command.kind !== 'exec') throw new CommandFailed(ERROR);
  if (!core.isRegistered()) return { lines: ['+CESQ: 99,99,255,255,255,255'] };
  return {
    lines: [
      core.profile.accessTechnology === 7
        ? `+CESQ: 99,99,255,255,${rsrqIndex(core.cell.rsrq)},${rsrpIndex(core.cell.rsrp)}`
        : '+CESQ: 40,0,255,255,255,255',
    ],
  };
};

export function networkCommands(): CommandTable {
  return {
    '+CREG': registration('+CREG', 'creg'),
    '+CGREG': registration('+CGREG', 'cgreg'),
    '+CEREG': registration('+CEREG', 'cereg'),
    '+COPS': cops,
    '+CSQ': csq,
    '+CESQ': cesq,
  };
}
