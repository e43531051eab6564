import type { SimAccess } from '../modem-host.js';
import type { ModemProfile } from '../profiles.js';
import { CommandFailed, cme, ERROR } from '../result-codes.js';
import { PIN_TRIES, PUK_TRIES } from '../sim-card.js';
import { intParam } from './params.js';
import type { CommandHandler, CommandTable } from './types.js';

/**
 * The SIM's locks, as a technician meets them (3GPP TS 27.007): +CPIN enters the PIN, or the PUK and a new PIN
 * (§8.3); +CPINR tells the retries left (§8.65); +CLCK "SC" queries, enables or disables the PIN lock (§7.4); +CPWD
 * "SC" changes the PIN (§7.5). Three PIN tries, then ten PUK tries, then the SIM is dead (+CME ERROR: 13). The
 * vendors' own retry counters answer from the same state: Quectel +QPINC, SIMCom +SPIC, u-blox +UPINCNT, Huawei ^CPIN,
 * Telit #PCT.
 */

type SimLockHost = Pick<SimAccess, 'sim' | 'simError' | 'simUnlocked'>;

function requireSimPresent(core: SimLockHost): void {
  const simError = core.simError();
  // 11/12 (PIN or PUK wanted) are what these commands are for; no SIM (10), or busy (14), stops them.
  if (simError !== undefined && simError !== 11 && simError !== 12) throw new CommandFailed(cme(simError));
  if (core.sim.pukTriesLeft === 0) throw new CommandFailed(cme(13));
}

/**
 * Checks a PIN entry: a wrong PIN costs a try; the last one moves the SIM to PUK (+CME ERROR: 12), otherwise
 * "incorrect password" (16).
 */
function checkPin(core: SimLockHost, code: string | undefined): void {
  if (!core.sim.verifyPin(code)) throw new CommandFailed(cme(core.sim.pinTriesLeft === 0 ? 12 : 16));
}

const cpin: CommandHandler<SimLockHost> = (command, core) => {
  if (command.kind === 'test') return {};
  requireSimPresent(core);
  if (command.kind === 'read') return { lines: [`+CPIN: ${core.sim.lockState}`] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const [code, newPin] = command.params;
  if (core.sim.unlocked) throw new CommandFailed(cme(3));
  if (core.sim.pinTriesLeft === 0) {
    // SIM PUK: +CPIN=<puk>,<newpin> (§8.3).
    if (newPin === undefined || !/^\d{4,8}$/.test(newPin)) throw new CommandFailed(cme(12));
    if (!core.sim.verifyPuk(code, newPin)) throw new CommandFailed(cme(core.sim.pukTriesLeft === 0 ? 13 : 16));
    core.simUnlocked();
    return {};
  }
  checkPin(core, code);
  core.simUnlocked();
  return {};
};

/** +CPINR[=<sel_code>]: `+CPINR: <code>,<retries>,<default_retries>` per code (§8.65). */
const cpinr: CommandHandler<SimLockHost> = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'exec' && command.kind !== 'set') throw new CommandFailed(ERROR);
  requireSimPresent(core);
  const rows = [
    `+CPINR: SIM PIN,${core.sim.pinTriesLeft},${PIN_TRIES}`,
    `+CPINR: SIM PUK,${core.sim.pukTriesLeft},${PUK_TRIES}`,
  ];
  const wanted = command.kind === 'set' ? (command.params[0] ?? '').replace(/\*$/, '') : '';
  return { lines: rows.filter((row) => row.slice(8).startsWith(wanted)) };
};

/** +CLCK="SC",<mode>[,<passwd>]: mode 2 queries, 0 disables and 1 enables the PIN lock (the PIN is checked). */
const clck: CommandHandler<SimLockHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CLCK: ("SC")'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  if ((command.params[0] ?? '').toUpperCase() !== 'SC') throw new CommandFailed(cme(4));
  requireSimPresent(core);
  const mode = intParam(command, 1, 0, 2);
  if (mode === 2) return { lines: [`+CLCK: ${core.sim.lockEnabled ? 1 : 0}`] };
  if (!core.sim.unlocked) throw new CommandFailed(cme(11));
  checkPin(core, command.params[2]);
  core.sim.setLockEnabled(mode === 1);
  return {};
};

/** +CPWD="SC",<oldpwd>,<newpwd>: a new PIN of 4 to 8 digits, the old one checked like any PIN entry. */
const cpwd: CommandHandler<SimLockHost> = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CPWD: ("SC",8)'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  if ((command.params[0] ?? '').toUpperCase() !== 'SC') throw new CommandFailed(cme(4));
  requireSimPresent(core);
  if (!core.sim.unlocked) throw new CommandFailed(cme(11));
  const [, old, next] = command.params;
  if (next === undefined || !/^\d{4,8}$/.test(next)) throw new CommandFailed(cme(16));
  checkPin(core, old);
  core.sim.changePin(next);
  return {};
};

/** A vendor retry counter: read (or exec) form only, lines computed from the same PIN/PUK state. */
function counter(lines: (core: SimLockHost) => string[], form: 'exec' | 'read' | 'set'): CommandHandler<SimLockHost> {
  return (command, core) => {
    if (command.kind === 'test') return {};
    if (command.kind !== form) throw new CommandFailed(ERROR);
    requireSimPresent(core);
    return { lines: lines(core) };
  };
}

export function simLockCommands(profile: ModemProfile): CommandTable {
  const table: Record<string, CommandHandler<SimLockHost>> = {
    '+CPIN': cpin,
    '+CPINR': cpinr,
    '+CLCK': clck,
    '+CPWD': cpwd,
  };
  const pins = (c: SimLockHost) => `${c.sim.pinTriesLeft},${PIN_TRIES},${c.sim.pukTriesLeft},${PUK_TRIES}`;
  switch (profile.name) {
    case 'quectel': // Quectel EC25 AT manual, AT+QPINC: +QPINC: <facility>,<pincounter>,<pukcounter>
      table['+QPINC'] = counter((c) => [`+QPINC: "SC",${c.sim.pinTriesLeft},${c.sim.pukTriesLeft}`], 'set');
      break;
    case 'simcom': // SIMCom SIM7500/SIM7600 AT manual, AT+SPIC: +SPIC: <pin1>,<pin2>,<puk1>,<puk2>
      table['+SPIC'] = counter(
        (c) => [`+SPIC: ${c.sim.pinTriesLeft},${PIN_TRIES},${c.sim.pukTriesLeft},${PUK_TRIES}`],
        'exec',
      );
      break;
    case 'ublox': // u-blox AT commands manual, AT+UPINCNT: +UPINCNT: <PIN1>,<PIN2>,<PUK1>,<PUK2>
      table['+UPINCNT'] = counter((c) => [`+UPINCNT: ${pins(c)}`], 'exec');
      break;
    case 'huawei': // Huawei MU609 AT spec, AT^CPIN?: ^CPIN: <code>,[<times>],<puk_times>,<pin_times>,<puk2>,<pin2>
      table['^CPIN'] = counter(
        (c) => [`^CPIN: ${c.sim.lockState},,${c.sim.pukTriesLeft},${c.sim.pinTriesLeft},${PUK_TRIES},${PIN_TRIES}`],
        'read',
      );
      break;
    case 'telit': // Telit LE910Cx AT reference guide, AT#PCT: #PCT: <n>, tries left of the code the SIM waits for
      table['#PCT'] = counter(
        (c) => [`#PCT: ${c.sim.pinTriesLeft > 0 ? c.sim.pinTriesLeft : c.sim.pukTriesLeft}`],
        'exec',
      );
      break;
    default:
      break;
  }
  return table;
}
