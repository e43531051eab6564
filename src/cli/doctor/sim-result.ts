import { type CheckResult, fail, pass, warn } from './check.js';

/**
 * Judges the SIM from the modem's answer to AT+CPIN? (3GPP TS 27.007 §8.3: `+CPIN: READY`, `SIM PIN`, `SIM PUK`…, or
 * `+CME ERROR: 10` when no SIM is inserted), whether doctor asked the modem itself or through the daemon.
 */
export function simResult(cpin: string, pinConfigured: boolean): CheckResult {
  if (/READY/.test(cpin)) return pass('sim.ready', 'SIM ready', 'READY');
  if (/SIM PIN/.test(cpin))
    return pinConfigured
      ? warn(
          'sim.ready',
          'SIM ready',
          'the SIM wants its PIN; modem.pin is set, so the daemon will enter it',
          'none needed',
        )
      : fail(
          'sim.ready',
          'SIM ready',
          'the SIM wants its PIN',
          'set modem.pin_file (a file holding the PIN) in the config',
        );
  if (/PUK/.test(cpin))
    return fail(
      'sim.ready',
      'SIM ready',
      'the SIM is PUK-locked',
      'unlock it in a phone with the PUK from the SIM provider; the daemon never tries a PUK',
    );
  return fail(
    'sim.ready',
    'SIM ready',
    cpin,
    /10|not inserted/i.test(cpin)
      ? 'no SIM: insert it (power off first) and check the tray'
      : 'the SIM is not ready: wait, or re-seat it',
  );
}

/** The one cause a failed SIM check stands for, as the later checks it blocks say it: "not checked: SIM locked". */
export function simProblemOf(cpin: string): string {
  if (/PUK/.test(cpin)) return 'SIM PUK-locked';
  if (/PIN/.test(cpin)) return 'SIM locked (PIN)';
  if (/10|not inserted/i.test(cpin)) return 'no SIM';
  return 'SIM not ready';
}
