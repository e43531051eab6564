import type { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import { RETRY_QUERIES } from './parsers/sim-lock.js';

/**
 * Why a SIM keeps the modem from initialising when no retry soon can help — the states ModemManager calls "locked"
 * and "failed". The driver then waits calmly (one log line, a slow recheck) instead of re-initialising in a loop:
 * - `sim_pin_required`: the SIM asks for its PIN and modem.pin is not configured;
 * - `sim_pin_rejected`: the configured PIN was refused (it is never sent again: each try costs an attempt);
 * - `sim_puk`: the SIM wants its PUK (three wrong PINs); only a person enters a PUK;
 * - `sim_locked`: another lock (PH-SIM PIN, PH-NET PIN, SIM PIN2 …, 3GPP TS 27.007 §8.3), named in `lock`;
 * - `sim_missing`: no SIM (+CME ERROR: 10, "SIM not inserted");
 * - `sim_failure`: the SIM does not work (+CME ERROR: 13), e.g. after its last PUK try.
 */
export const SIM_BLOCK_CAUSES = [
  'sim_pin_required',
  'sim_pin_rejected',
  'sim_puk',
  'sim_locked',
  'sim_missing',
  'sim_failure',
] as const;
export type SimBlockCause = (typeof SIM_BLOCK_CAUSES)[number];

/** What the SIM waits for: the +CPIN code and the tries left for it (null: the modem would not say). */
export interface SimLock {
  lock: string;
  attempts_left: number | null;
}

export interface SimBlock {
  cause: SimBlockCause;
  /** Present when the SIM waits for a code (PIN, PUK, PH-SIM PIN …); null for a missing or failed SIM. */
  sim_lock: SimLock | null;
  /** One sentence for people (modem/state `reason`, the log, `m2m-bridge status`); never carries a PIN. */
  reason: string;
}

/**
 * The SIM PINs seen refused, per SIM (`simId`: init.ts simIdOf, its ICCID or else the IMEI; null when neither was
 * read). A refused PIN is never sent again to that SIM — not by a re-init, not by `modem/restart` (a fresh driver),
 * not after a reload, and with a persistent implementation (the daemon's, kept in the journal) not after a restart —
 * because each try costs one of three attempts and the third wrong one leaves the SIM wanting its PUK. A different
 * PIN (the user fixed modem.pin) may be tried, once. A SIM seen READY has its refusals forgotten: the correct PIN
 * (entered by the daemon, `m2m-bridge sim unlock`, or anyone) set its counter back to three, and its PIN may since
 * have been changed to one it once refused; so the daemon costs a SIM at most one try between two unlocks.
 */
export interface RefusedPinSet {
  has(pin: string, simId: string | null): boolean;
  add(pin: string, simId: string | null): void;
  /** The SIM `simId` answered READY: its refusals no longer say anything about its PIN. */
  forget(simId: string | null): void;
}

/** A RefusedPinSet that lives as long as the process (tests, `sim` tools; the daemon persists its own). */
export class RefusedPins implements RefusedPinSet {
  private readonly refused = new Map<string | null, Set<string>>();

  has(pin: string, simId: string | null): boolean {
    return this.refused.get(simId)?.has(pin) ?? false;
  }

  add(pin: string, simId: string | null): void {
    const pins = this.refused.get(simId) ?? new Set<string>();
    pins.add(pin);
    this.refused.set(simId, pins);
  }

  forget(simId: string | null): void {
    this.refused.delete(simId);
  }
}

/** The cause for a +CPIN code other than READY, or undefined for a state that passes by itself (busy, no answer). */
export function causeOfLock(code: string, pinConfigured: boolean, pinRefused: boolean): SimBlockCause | undefined {
  if (code === 'SIM PIN') return pinRefused ? 'sim_pin_rejected' : pinConfigured ? undefined : 'sim_pin_required';
  if (code === 'SIM PUK') return 'sim_puk';
  if (code.startsWith('PH-') || code.startsWith('SIM P')) return 'sim_locked';
  return undefined;
}

/** The sentence for a blocked SIM (README, troubleshooting "SIM locked" uses the same words). */
export function describeSimBlock(cause: SimBlockCause, lock: SimLock | null): string {
  const left =
    lock?.attempts_left === null || lock?.attempts_left === undefined ? '' : ` (${lock.attempts_left} tries left)`;
  switch (cause) {
    case 'sim_pin_required':
      return `SIM locked: it asks for its PIN${left} and modem.pin is not configured`;
    case 'sim_pin_rejected':
      return `SIM locked: the configured PIN was refused and is not sent again${left}; fix modem.pin, then reload (SIGHUP)`;
    case 'sim_puk':
      return `SIM locked: it needs its PUK${left}; unlock it with m2m-bridge sim (the daemon never enters a PUK)`;
    case 'sim_locked':
      return `SIM locked: it waits for ${lock?.lock ?? 'a code'}${left}; unlock it by hand`;
    case 'sim_missing':
      return 'no SIM: the modem says it is not inserted';
    case 'sim_failure':
      return 'SIM failure: the modem cannot use the SIM';
  }
}

/**
 * The tries left for the code the SIM waits for: AT+CPINR, then the vendors' counters (parsers/sim-lock.ts), first
 * one that answers. Null when none does. A modem refusing one of them is expected (each vendor knows only its own).
 */
export async function readAttemptsLeft(channel: AtChannel, waitingFor: string): Promise<number | null> {
  // The counters count SIM PIN and SIM PUK tries only (not PH-SIM PIN, PIN2 …).
  if (waitingFor !== 'SIM PIN' && waitingFor !== 'SIM PUK') return null;
  for (const query of RETRY_QUERIES) {
    let lines: string[];
    try {
      lines = (await channel.run(query.command)).lines;
    } catch (error) {
      if (isAtError(error) && (error.kind === 'cme' || error.kind === 'cms' || error.kind === 'error')) continue;
      throw error;
    }
    const retries = query.parse(lines, waitingFor);
    if (!retries) continue;
    const left = waitingFor === 'SIM PUK' ? retries.puk : waitingFor === 'SIM PIN' ? retries.pin : null;
    if (left !== null) return left;
  }
  return null;
}

/** Two blocks are the same state for modem/state and the log (an unchanged recheck publishes nothing). */
export function sameSimBlock(a: SimBlock | null, b: SimBlock | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
