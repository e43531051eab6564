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
      const location = n >= 2 && core.isRegistered() ? `,"1A2B","01C3D4E5",${core.profile.accessTechnology}` : '';
      return { lines: [`${name}: ${n},${stat}${location}`] };
    }
    core.updateSettings({ [setting]: command.kind === 'exec' ? 0 : intParam(command, 0, 0, 2) });
    return {};
  };
}

/** +COPS (TS 27.007 §7.3): automatic selection only; read shows the operator once registered. */
const cops: CommandHandler<NetworkHost> = (command, core) => {
  if (command.kind === 'read') {
    if (!core.isRegistered()) return { lines: ['+COPS: 0'] };
    return { lines: [`+COPS: 0,0,"${core.operator}",${core.profile.accessTechnology}`] };
  }
  if (command.kind === 'test') {
    const act = core.profile.accessTechnology;
    return { lines: [`+COPS: (2,"${core.operator}","${core.operator}","310260",${act}),,(0-4),(0-2)`] };
  }
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  intParam(command, 0, 0, 4);
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
    lines: [core.profile.accessTechnology === 7 ? '+CESQ: 99,99,255,255,20,50' : '+CESQ: 40,0,255,255,255,255'],
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
