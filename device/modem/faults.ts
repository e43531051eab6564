/**
 * Faults a real modem shows in the field, switchable at run time so tests can prove the driver survives them. Counters ("the next N") make tests
 * deterministic; each is decremented as the fault fires.
 */

export interface ModemFaults {
  /** Milliseconds added before every command's final result. */
  responseDelayMs: number;
  /** Milliseconds a send (+CMGS/+CMSS) takes on the network before its answer (real ones take seconds, FACTS.md). */
  sendDelayMs: number;
  /** The modem stops answering: input is swallowed, nothing is written (not even URCs). */
  hang: boolean;
  /** The next N responses are preceded by line noise (non-AT bytes, as after a baud-rate glitch). */
  garbage: number;
  /** The next N written lines are lost. */
  dropLines: number;
  /** The next N written lines are written twice. */
  doubleLines: number;
  /** The next N responses get an unsolicited line between their information lines and the final result. */
  urcInResponse: number;
  /**
   * The next N command echoes get an unsolicited line before their CR (FACTS.md "inside the echo"); only while the
   * modem echoes (ATE1, or echoAfterAte0).
   */
  urcInEcho: number;
  /** The next N SMS prompts are preceded by an unsolicited line (FACTS.md "before the `> ` prompt"). */
  urcBeforePrompt: number;
  /**
   * ATE0 is answered OK but the modem keeps echoing (FACTS.md: "Some modems keep echoing after ATE0"), so a driver
   * that sends ATE0 still meets echoes, and urcInEcho can fire against it.
   */
  echoAfterAte0: boolean;
  /**
   * +CNMI values the firmware refuses with `+CMS ERROR: 303` although `AT+CNMI=?` lists them (SIM800 firmware refuses
   * <ds>=2; some u-blox firmware <mode>=2: the reason src/modem/parsers/cnmi.ts tries fallbacks). null: all accepted.
   */
  rejectCnmi: { mode: number[]; ds: number[] } | null;
  /** The next `count` sends (+CMGS/+CMSS) fail with `+CMS ERROR: <code>` (500 and 512 are the usual transient ones). */
  sendError: { code: number; count: number } | null;
  /** The SIM answers `+CME ERROR: <code>` (10 not inserted, 14 busy) until this many ms from when it was set. */
  simNotReady: { code: 10 | 13 | 14; forMs: number } | null;
  /** No network registration (+CREG stat 2 "searching"); sends fail with +CMS ERROR: 331. */
  noNetwork: boolean;
  /** Every memory reports full: MT messages stay with the network, no +CMTI (FACTS.md). */
  storageFull: boolean;
  /** Outcome the network reports for MO messages (status report TP-ST, TS 23.040 §9.2.3.15). */
  deliveryOutcome: 'delivered' | 'failed' | 'pending';
  /**
   * The SMSC's status reports carry a TP-DT whose time-zone octet has a nibble above 9 (0xA_), as some networks
   * send: the rest of the report is sound, so a lenient decoder still reads TP-MR and TP-ST.
   */
  badStatusReportTime: boolean;
}

export const NO_FAULTS: ModemFaults = {
  responseDelayMs: 0,
  sendDelayMs: 0,
  hang: false,
  garbage: 0,
  dropLines: 0,
  doubleLines: 0,
  urcInResponse: 0,
  urcInEcho: 0,
  urcBeforePrompt: 0,
  echoAfterAte0: false,
  rejectCnmi: null,
  sendError: null,
  simNotReady: null,
  noNetwork: false,
  storageFull: false,
  deliveryOutcome: 'delivered',
  badStatusReportTime: false,
};

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

const COUNTERS = [
  'responseDelayMs',
  'sendDelayMs',
  'garbage',
  'dropLines',
  'doubleLines',
  'urcInResponse',
  'urcInEcho',
  'urcBeforePrompt',
] as const;
const FLAGS = ['hang', 'noNetwork', 'storageFull', 'echoAfterAte0', 'badStatusReportTime'] as const;

function count(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 86_400_000) {
    throw new FaultSpecError(`${key} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

function cnmiValues(key: string, value: unknown): number[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item) && item >= 0 && item <= 3)) {
    throw new FaultSpecError(`rejectCnmi.${key} must be a list of +CNMI values 0-3`);
  }
  return [...value] as number[];
}

function cnmiRefusal(value: unknown): { mode: number[]; ds: number[] } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultSpecError('rejectCnmi must be {mode?: [..], ds?: [..]} or null');
  }
  const spec = value as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (key !== 'mode' && key !== 'ds') throw new FaultSpecError(`rejectCnmi takes mode and ds, not '${key}'`);
  }
  return { mode: cnmiValues('mode', spec['mode']), ds: cnmiValues('ds', spec['ds']) };
}

/** Validates a partial fault update (from the control API or a test) and returns the merged faults. */
export function mergeFaults(current: ModemFaults, update: Record<string, unknown>): ModemFaults {
  const next: ModemFaults = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if ((COUNTERS as readonly string[]).includes(key)) {
      next[key as (typeof COUNTERS)[number]] = count(key, value);
    } else if ((FLAGS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new FaultSpecError(`${key} must be true or false`);
      next[key as (typeof FLAGS)[number]] = value;
    } else if (key === 'sendError') {
      if (value === null) next.sendError = null;
      else {
        const spec = value as { code?: unknown; count?: unknown };
        if (typeof spec !== 'object' || spec === null) throw new FaultSpecError('sendError must be {code, count}');
        const code = count('sendError.code', spec.code);
        if (code < 300 || code > 511 + 1) throw new FaultSpecError('sendError.code must be a +CMS ERROR code 300-512');
        next.sendError = { code, count: count('sendError.count', spec.count ?? 1) };
      }
    } else if (key === 'simNotReady') {
      if (value === null) next.simNotReady = null;
      else {
        const spec = value as { code?: unknown; forMs?: unknown };
        if (typeof spec !== 'object' || spec === null) throw new FaultSpecError('simNotReady must be {code, forMs}');
        const code = spec.code ?? 14;
        if (code !== 10 && code !== 13 && code !== 14)
          throw new FaultSpecError('simNotReady.code must be 10, 13 or 14');
        next.simNotReady = { code, forMs: count('simNotReady.forMs', spec.forMs ?? 5000) };
      }
    } else if (key === 'rejectCnmi') {
      next.rejectCnmi = value === null ? null : cnmiRefusal(value);
    } else if (key === 'deliveryOutcome') {
      if (value !== 'delivered' && value !== 'failed' && value !== 'pending') {
        throw new FaultSpecError('deliveryOutcome must be delivered, failed or pending');
      }
      next.deliveryOutcome = value;
    } else {
      throw new FaultSpecError(`unknown fault '${key}'`);
    }
  }
  return next;
}
