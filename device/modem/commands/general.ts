import type { AtCommand } from '../at-parser.js';
import type { ModemIdentity, RadioAccess, SettingsHolder, SimAccess, UrcSink } from '../modem-host.js';
import type { ModemProfile } from '../profiles.js';
import { CommandFailed, cme, ERROR } from '../result-codes.js';
import { basicValue, intParam } from './params.js';
import type { CommandHandler, CommandTable } from './types.js';

/** What the general commands use of the core: identity, settings, the SIM check, +CFUN and its reset event. */
type GeneralHost = ModemIdentity &
  SettingsHolder &
  Pick<SimAccess, 'requireSim' | 'simError'> &
  Pick<RadioAccess, 'cfun' | 'setFunctionality'> &
  Pick<UrcSink, 'event'>;

/** Accepts the command's exec form only, answering the given lines (identity commands, TS 27.007 §5). */
function info(lines: (core: GeneralHost) => string[], needsSim = false): CommandHandler<GeneralHost> {
  return (command, core) => {
    if (command.kind === 'test') return {};
    if (command.kind !== 'exec') throw new CommandFailed(ERROR);
    if (needsSim) core.requireSim();
    return { lines: lines(core) };
  };
}

/** V.250 basic commands with no effect here (&C, &D, &K, X, L, M, H): accepted like a real modem accepts them. */
const accepted: CommandHandler<unknown> = () => ({});

/**
 * The ICCID is printed on the card and readable without its PIN (or PUK), as real modems answer +CCID/+QCCID while
 * +CPIN? says SIM PIN; only a missing or failed SIM (10, 13, 14) cannot be read.
 */
function iccid(core: GeneralHost, prefix: string): string[] {
  const code = core.simError();
  if (code !== undefined && code !== 11 && code !== 12) core.requireSim();
  return [`${prefix}${core.identity.iccid}`];
}

function vendorIccid(prefix: string): CommandHandler<GeneralHost> {
  return (command, core) => {
    if (command.kind === 'test') return {};
    return { lines: iccid(core, prefix) };
  };
}

/**
 * +CFUN (TS 27.007 §8.2): 0 minimum, 1 full, 4 radio off; <rst>=1 restarts with the power-on URCs, and so do the
 * vendor's own reset values (u-blox 15/16).
 */
const cfun: CommandHandler<GeneralHost> = (command, core) => {
  if (command.kind === 'read') return { lines: [`+CFUN: ${core.cfun}`] };
  if (command.kind === 'test') return { lines: [`+CFUN: (${[0, 1, 4, ...core.profile.cfunResets].join(',')}),(0,1)`] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const fun = intParam(command, 0, 0, 255);
  const vendorReset = core.profile.cfunResets.includes(fun);
  if (fun === 2 || fun === 3 || (fun > 4 && !vendorReset)) throw new CommandFailed(cme(50));
  const reset = intParam(command, 1, 0, 1, 0);
  if (reset === 1 || vendorReset) {
    // The OK goes out first, then the modem restarts (EC25 manual AT+CFUN=1,1).
    setImmediate(() => core.event('reset_requested', {}));
    return {};
  }
  core.setFunctionality(fun);
  return {};
};

/** +CMEE (TS 27.007 §9.1). */
const cmee: CommandHandler<GeneralHost> = (command, core) => {
  if (command.kind === 'read') return { lines: [`+CMEE: ${core.settings.cmee}`] };
  if (command.kind === 'test') return { lines: ['+CMEE: (0-2)'] };
  core.updateSettings({ cmee: command.kind === 'exec' ? 0 : intParam(command, 0, 0, 2) });
  return {};
};

function sRegister(command: AtCommand, core: GeneralHost): { lines?: string[] } {
  const register = Number(command.name.slice(1));
  if (command.kind === 'read') {
    const value = core.settings.sRegisters.get(register);
    if (value === undefined) throw new CommandFailed(ERROR);
    return { lines: [String(value).padStart(3, '0')] };
  }
  const value = Number(command.params[0] || '0');
  if (!Number.isInteger(value) || value > 255) throw new CommandFailed(ERROR);
  core.setSRegister(register, value);
  return {};
}

export function generalCommands(profile: ModemProfile): CommandTable {
  const table: Record<string, CommandHandler<GeneralHost>> = {
    E: (command, c) => {
      c.updateSettings({ echo: basicValue(command, 1) === 1 });
      return {};
    },
    V: (command, c) => {
      c.updateSettings({ verbose: basicValue(command, 1) === 1 });
      return {};
    },
    Q: (command, c) => {
      c.updateSettings({ quiet: basicValue(command, 1) === 1 });
      return {};
    },
    Z: (command, c) => {
      basicValue(command, 1);
      c.resetSettings();
      return {};
    },
    '&F': (command, c) => {
      basicValue(command, 0);
      c.resetSettings();
      return {};
    },
    '&W': accepted,
    '&C': accepted,
    '&D': accepted,
    '&K': accepted,
    X: accepted,
    L: accepted,
    M: accepted,
    H: accepted,
    I: (command, c) => {
      const n = basicValue(command, 9);
      return { lines: n === 0 ? c.profile.identification(c.identity.imei) : [c.profile.revision] };
    },
    '+GMI': info((c) => [c.profile.manufacturer]),
    '+GMM': info((c) => [c.profile.model]),
    '+GMR': info((c) => [c.profile.revision]),
    '+GSN': info((c) => [c.identity.imei]),
    '+CGMI': info((c) => [c.profile.manufacturer]),
    '+CGMM': info((c) => [c.profile.model]),
    '+CGMR': info((c) => [c.profile.revision]),
    '+CGSN': info((c) => [c.identity.imei]),
    '+CIMI': info((c) => [c.identity.imsi], true),
    '+CCID': (command, c) => (command.kind === 'test' ? {} : { lines: iccid(c, c.profile.ccidPrefix) }),
    '+ICCID': (command, c) => (command.kind === 'test' ? {} : { lines: iccid(c, '+ICCID: ') }),
    '+CFUN': cfun,
    '+CMEE': cmee,
    '+CSCS': (command, c) => {
      if (command.kind === 'read') return { lines: [`+CSCS: "${c.settings.cscs}"`] };
      if (command.kind === 'test') return { lines: ['+CSCS: ("GSM","IRA","UCS2","HEX","8859-1")'] };
      const charset = (command.params[0] ?? '').toUpperCase();
      if (!['GSM', 'IRA', 'UCS2', 'HEX', '8859-1'].includes(charset)) throw new CommandFailed(cme(4));
      c.updateSettings({ cscs: charset });
      return {};
    },
    // Capabilities list (V.250 §6.1.9) — gammu and ModemManager ask for it while probing.
    '+GCAP': info(() => ['+GCAP: +CGSM']),
    '+CLAC': info(() => Object.keys(table).filter((name) => name.startsWith('+'))),
  };
  for (let register = 0; register <= 12; register++) table[`S${register}`] = sRegister;
  const vendor = profile.iccidCommand;
  if (vendor) table[vendor.name] = vendorIccid(vendor.prefix);
  return table;
}
