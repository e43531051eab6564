import type { ModemCore } from '../modem-core.js';
import { CommandFailed, cme, ERROR } from '../result-codes.js';
import { intParam } from './params.js';
import type { CommandHandler, CommandTable } from './types.js';

/**
 * The SIM's locks, as a technician meets them (3GPP TS 27.007): +CPIN enters the PIN, or the PUK and a new PIN
 * (§8.3); +CPINR tells the retries left (§8.65); +CLCK "SC" queries, enables or disables the PIN lock (§7.4); +CPWD
 * "SC" changes the PIN (§7.5). Three PIN tries, then ten PUK tries, then the SIM is dead (+CME ERROR: 13). The
 * vendors' own retry counters answer from the same state: Quectel +QPINC, SIMCom +SPIC, u-blox +UPINCNT, Huawei ^CPIN,
 * Telit #PCT.
 */

const PIN_TRIES = 3;
const PUK_TRIES = 10;

/** The state the modem reports as +CPIN: READY, SIM PIN or SIM PUK; a SIM out of PUK tries is a SIM failure. */
function lockState(core: ModemCore): 'READY' | 'SIM PIN' | 'SIM PUK' {
  if (core.sim.unlocked) return 'READY';
  return core.sim.attempts > 0 ? 'SIM PIN' : 'SIM PUK';
}

function requireSimPresent(core: ModemCore): void {
  const simError = core.simError();
  // 11/12 (PIN or PUK wanted) are what these commands are for; no SIM (10), or busy (14), stops them.
  if (simError !== undefined && simError !== 11 && simError !== 12) throw new CommandFailed(cme(simError));
  if (core.sim.pukAttempts === 0) throw new CommandFailed(cme(13));
}

/** A wrong PIN costs a try; the last one moves the SIM to PUK (+CME ERROR: 12), otherwise "incorrect password". */
function wrongPin(core: ModemCore): never {
  core.sim.attempts = Math.max(0, core.sim.attempts - 1);
  if (core.sim.attempts === 0) core.sim.unlocked = false;
  throw new CommandFailed(cme(core.sim.attempts === 0 ? 12 : 16));
}

function unlocked(core: ModemCore): void {
  core.sim.unlocked = true;
  core.sim.attempts = PIN_TRIES;
  core.urc(['+CPIN: READY']);
  core.scheduleSmsReady();
  core.later(0, () => core.updateRegistration());
}

const cpin: CommandHandler = (command, core) => {
  if (command.kind === 'test') return {};
  requireSimPresent(core);
  if (command.kind === 'read') return { lines: [`+CPIN: ${lockState(core)}`] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  const [code, newPin] = command.params;
  if (core.sim.unlocked) throw new CommandFailed(cme(3));
  if (core.sim.attempts === 0) {
    // SIM PUK: +CPIN=<puk>,<newpin> (§8.3).
    if (newPin === undefined || !/^\d{4,8}$/.test(newPin)) throw new CommandFailed(cme(12));
    if (code !== core.sim.puk) {
      core.sim.pukAttempts -= 1;
      throw new CommandFailed(cme(core.sim.pukAttempts === 0 ? 13 : 16));
    }
    core.sim.pin = newPin;
    core.sim.pukAttempts = PUK_TRIES;
    unlocked(core);
    return {};
  }
  if (code !== core.sim.pin) wrongPin(core);
  unlocked(core);
  return {};
};

/** +CPINR[=<sel_code>]: `+CPINR: <code>,<retries>,<default_retries>` per code (§8.65). */
const cpinr: CommandHandler = (command, core) => {
  if (command.kind === 'test') return {};
  if (command.kind !== 'exec' && command.kind !== 'set') throw new CommandFailed(ERROR);
  requireSimPresent(core);
  const rows = [
    `+CPINR: SIM PIN,${core.sim.attempts},${PIN_TRIES}`,
    `+CPINR: SIM PUK,${core.sim.pukAttempts},${PUK_TRIES}`,
  ];
  const wanted = command.kind === 'set' ? (command.params[0] ?? '').replace(/\*$/, '') : '';
  return { lines: rows.filter((row) => row.slice(8).startsWith(wanted)) };
};

/** +CLCK="SC",<mode>[,<passwd>]: mode 2 queries, 0 disables and 1 enables the PIN lock (the PIN is checked). */
const clck: CommandHandler = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CLCK: ("SC")'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  if ((command.params[0] ?? '').toUpperCase() !== 'SC') throw new CommandFailed(cme(4));
  requireSimPresent(core);
  const mode = intParam(command, 1, 0, 2);
  if (mode === 2) return { lines: [`+CLCK: ${core.sim.lockEnabled ? 1 : 0}`] };
  if (!core.sim.unlocked) throw new CommandFailed(cme(11));
  if (command.params[2] !== core.sim.pin) wrongPin(core);
  core.sim.attempts = PIN_TRIES;
  core.sim.lockEnabled = mode === 1;
  return {};
};

/** +CPWD="SC",<oldpwd>,<newpwd>: a new PIN of 4 to 8 digits, the old one checked like any PIN entry. */
const cpwd: CommandHandler = (command, core) => {
  if (command.kind === 'test') return { lines: ['+CPWD: ("SC",8)'] };
  if (command.kind !== 'set') throw new CommandFailed(ERROR);
  if ((command.params[0] ?? '').toUpperCase() !== 'SC') throw new CommandFailed(cme(4));
  requireSimPresent(core);
  if (!core.sim.unlocked) throw new CommandFailed(cme(11));
  const [, old, next] = command.params;
  if (next === undefined || !/^\d{4,8}$/.test(next)) throw new CommandFailed(cme(16));
  if (old !== core.sim.pin) wrongPin(core);
  core.sim.pin = next;
  core.sim.attempts = PIN_TRIES;
  return {};
};

/** A vendor retry counter: read (or exec) form only, lines computed from the same PIN/PUK state. */
function counter(lines: (core: ModemCore) => string[], form: 'exec' | 'read' | 'set'): CommandHandler {
  return (command, core) => {
    if (command.kind === 'test') return {};
    if (command.kind !== form) throw new CommandFailed(ERROR);
    requireSimPresent(core);
    return { lines: lines(core) };
  };
}

export function simLockCommands(core: ModemCore): CommandTable {
  const table: CommandTable = { '+CPIN': cpin, '+CPINR': cpinr, '+CLCK': clck, '+CPWD': cpwd };
  const pins = (c: ModemCore) => `${c.sim.attempts},${PIN_TRIES},${c.sim.pukAttempts},${PUK_TRIES}`;
  switch (core.profile.name) {
    case 'quectel': // Quectel EC25 AT manual, AT+QPINC: +QPINC: <facility>,<pincounter>,<pukcounter>
      table['+QPINC'] = counter((c) => [`+QPINC: "SC",${c.sim.attempts},${c.sim.pukAttempts}`], 'set');
      break;
    case 'simcom': // SIMCom SIM7500/SIM7600 AT manual, AT+SPIC: +SPIC: <pin1>,<pin2>,<puk1>,<puk2>
      table['+SPIC'] = counter(
        (c) => [`+SPIC: ${c.sim.attempts},${PIN_TRIES},${c.sim.pukAttempts},${PUK_TRIES}`],
        'exec',
      );
      break;
    case 'ublox': // u-blox AT commands manual, AT+UPINCNT: +UPINCNT: <PIN1>,<PIN2>,<PUK1>,<PUK2>
      table['+UPINCNT'] = counter((c) => [`+UPINCNT: ${pins(c)}`], 'exec');
      break;
    case 'huawei': // Huawei MU609 AT spec, AT^CPIN?: ^CPIN: <code>,[<times>],<puk_times>,<pin_times>,<puk2>,<pin2>
      table['^CPIN'] = counter(
        (c) => [`^CPIN: ${lockState(c)},,${c.sim.pukAttempts},${c.sim.attempts},${PUK_TRIES},${PIN_TRIES}`],
        'read',
      );
      break;
    case 'telit': // Telit LE910Cx AT reference guide, AT#PCT: #PCT: <n>, tries left of the code the SIM waits for
      table['#PCT'] = counter((c) => [`#PCT: ${c.sim.attempts > 0 ? c.sim.attempts : c.sim.pukAttempts}`], 'exec');
      break;
    default:
      break;
  }
  return table;
}
