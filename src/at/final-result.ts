import { codeForText, textForCode } from './error-codes.js';

/**
 * Recognises the line that ends a command (3GPP TS 27.007 §5.7 / V.250 result codes, plus the vendor ones
 * ModemManager's serial parser lists: COMMAND NOT SUPPORT, TOO MANY PARAMETERS from ZTE/Huawei firmware).
 */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'error'; text: string }
  | { kind: 'cme' | 'cms'; code: number | undefined; text: string };

const PLAIN_ERRORS = new Set([
  'ERROR',
  'NO CARRIER',
  'BUSY',
  'NO ANSWER',
  'NO DIALTONE',
  'NO DIAL TONE',
  'COMMAND NOT SUPPORT',
  'TOO MANY PARAMETERS',
]);

const EXTENDED = /^\+(CME|CMS) ERROR:\s*(.*?)\s*$/i;

export function recogniseFinal(line: string): FinalResult | null {
  const text = line.trim();
  if (text === 'OK') return { kind: 'ok' };
  if (PLAIN_ERRORS.has(text.toUpperCase())) return { kind: 'error', text };
  const m = EXTENDED.exec(text);
  if (!m) return null;
  const kind = m[1]!.toLowerCase() as 'cme' | 'cms';
  const detail = m[2]!.replace(/^"(.*)"$/, '$1');
  if (/^\d+$/.test(detail)) {
    const code = Number(detail);
    return { kind, code, text: textForCode(kind, code) ?? `error ${code}` };
  }
  return { kind, code: codeForText(kind, detail), text: detail };
}
