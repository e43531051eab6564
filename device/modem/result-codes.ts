import { textForCode } from '../../src/at/error-codes.js';

/**
 * Final result codes a command can end with. The texts `AT+CMEE=2` shows are the driver's table
 * (src/at/error-codes.ts: CME codes of 3GPP TS 27.007 §9.2, CMS codes of TS 27.005 §3.2.5), so the two never differ.
 */

type AtFailure = { kind: 'error' } | { kind: 'cme'; code: number } | { kind: 'cms'; code: number };

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

/**
 * How the failure reads on the wire. +CME ERROR follows +CMEE (0: plain ERROR, 1: numeric, 2: verbose, TS 27.007
 * §9.1); +CMS ERROR is its own final result code (TS 27.005 §3.2.5) and is reported even with +CMEE=0; we keep it
 * numeric in every +CMEE mode, as Quectel and SIMCom firmware do for SMS errors.
 */
export function failureText(failure: AtFailure, cmee: number): string {
  if (failure.kind === 'error') return 'ERROR';
  if (failure.kind === 'cme') {
    if (cmee === 0) return 'ERROR';
    if (cmee === 2) return `+CME ERROR: ${textForCode('cme', failure.code) ?? failure.code}`;
    return `+CME ERROR: ${failure.code}`;
  }
  return `+CMS ERROR: ${failure.code}`;
}
