import type { AtCommand } from '../at-parser.js';
import { CommandFailed, cme, cms } from '../result-codes.js';

/** Integer parameter `position` within [min, max]; `fallback` when omitted; otherwise the command fails. */
export function intParam(
  command: AtCommand,
  position: number,
  min: number,
  max: number,
  fallback?: number,
  failure: 'cme' | 'cms' = 'cme',
): number {
  const raw = command.params[position] ?? '';
  const fail = () => new CommandFailed(failure === 'cme' ? cme(50) : cms(302));
  if (raw === '') {
    if (fallback === undefined) throw fail();
    return fallback;
  }
  if (!/^\d+$/.test(raw)) throw fail();
  const value = Number(raw);
  if (value < min || value > max) throw fail();
  return value;
}

/** Basic command value (`E1`, `V0`): digits after the letter, 0 when absent (V.250 §5.3.1). */
export function basicValue(command: AtCommand, max: number): number {
  const raw = command.params[0] ?? '';
  const value = raw === '' ? 0 : Number(raw);
  if (!Number.isInteger(value) || value > max) throw new CommandFailed({ kind: 'error' });
  return value;
}
