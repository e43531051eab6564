import type { AtSettings } from './settings.js';

/**
 * How responses look on the wire (ITU-T V.250 §5.7): with ATV1 information text is framed `<CR><LF>text<CR><LF>`
 * and result codes `<CR><LF>OK<CR><LF>`; with ATV0 information text ends `<CR><LF>` and result codes are digits
 * ending `<CR>`. Each returned unit is one line as it is written, so faults can drop or double whole lines.
 */
const NUMERIC_RESULT: Record<string, string> = { OK: '0', CONNECT: '1', RING: '2', 'NO CARRIER': '3', ERROR: '4' };

export function responseUnits(info: string[], final: string | null, settings: AtSettings): string[] {
  const units: string[] = [];
  info.forEach((line, position) => {
    units.push(settings.verbose && position === 0 ? `\r\n${line}\r\n` : `${line}\r\n`);
  });
  if (final !== null && !settings.quiet) {
    if (settings.verbose) units.push(`\r\n${final}\r\n`);
    else units.push(`${NUMERIC_RESULT[final] ?? final}\r`);
  }
  return units;
}

/** An unsolicited result code (one or more lines, e.g. `+CMT: ,23` and its PDU). */
export function urcUnits(lines: string[], settings: AtSettings): string[] {
  return lines.map((line, position) => (settings.verbose && position === 0 ? `\r\n${line}\r\n` : `${line}\r\n`));
}

/** The SMS prompt (TS 27.005 §3.5.1): four characters, no line end after the space. */
export const SMS_PROMPT = '\r\n> ';
