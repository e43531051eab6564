/**
 * Final result codes a command can end with, and the texts `AT+CMEE=2` shows.
 * CME codes: 3GPP TS 27.007 §9.2; CMS codes: 3GPP TS 27.005 §3.2.5.
 */

export type AtFailure = { kind: 'error' } | { kind: 'cme'; code: number } | { kind: 'cms'; code: number };

export const ERROR: AtFailure = { kind: 'error' };
export const cme = (code: number): AtFailure => ({ kind: 'cme', code });
export const cms = (code: number): AtFailure => ({ kind: 'cms', code });

/** Thrown by a command handler to end the command with a final error result. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
  constructor(readonly failure: AtFailure) {
    super(failure.kind === 'error' ? 'ERROR' : `${failure.kind.toUpperCase()} ERROR ${failure.code}`);
  }
}

export const CME_TEXT: Record<number, string> = {
  0: 'phone failure',
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  13: 'SIM failure',
  14: 'SIM busy',
  16: 'incorrect password',
  21: 'invalid index',
  30: 'no network service',
  50: 'incorrect parameters',
  100: 'unknown',
};

export const CMS_TEXT: Record<number, string> = {
  300: 'ME failure',
  302: 'operation not allowed',
  303: 'operation not supported',
  304: 'invalid PDU mode parameter',
  305: 'invalid text mode parameter',
  310: 'SIM not inserted',
  311: 'SIM PIN required',
  314: 'SIM busy',
  320: 'memory failure',
  321: 'invalid memory index',
  322: 'memory full',
  330: 'SMSC address unknown',
  331: 'no network service',
  340: 'no +CNMA acknowledgement expected',
  500: 'unknown error',
  512: 'SMS rejected by network',
};

/**
 * How the failure reads on the wire. +CME ERROR follows +CMEE (0: plain ERROR, 1: numeric, 2: verbose, TS 27.007
 * §9.1); +CMS ERROR is its own final result code (TS 27.005 §3.2.5) and is reported even with +CMEE=0; we keep it
 * numeric in every +CMEE mode, as Quectel and SIMCom firmware do for SMS errors.
 */
export function failureText(failure: AtFailure, cmee: number): string {
  if (failure.kind === 'error') return 'ERROR';
  if (failure.kind === 'cme') {
    if (cmee === 0) return 'ERROR';
    if (cmee === 2) return `+CME ERROR: ${CME_TEXT[failure.code] ?? failure.code}`;
    return `+CME ERROR: ${failure.code}`;
  }
  return `+CMS ERROR: ${failure.code}`;
}
