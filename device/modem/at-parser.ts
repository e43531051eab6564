/**
 * Splits one AT command line into commands, the way a V.250 modem reads it: basic commands (`E0`, `V1`, `I`, `&F`,
 * `S3=13`) may run together, extended commands (`+CMGF=0`, `^CURC?`) are separated by `;` (ITU-T V.250 §5.4).
 * Pure: a string in, commands or a syntax error out.
 */

type CommandKind = 'exec' | 'read' | 'test' | 'set';

export interface AtCommand {
  /** Upper-case name: `E`, `&F`, `S3`, `+CMGS`, `^CURC`. */
  name: string;
  kind: CommandKind;
  /** Parameters of a `set` command, quotes removed; an omitted parameter is ''. */
  params: string[];
  /** Which parameters were quoted (a string parameter), by position. */
  quoted: boolean[];
  /** The text after `=` exactly as sent (for commands that parse it themselves, like `D`). */
  rawArgs: string;
}

export class AtSyntaxError extends Error {
  override name = 'AtSyntaxError';
}

/** Parameters of an extended command, split on commas outside double quotes (V.250 §5.4.2.1). */
export function splitParams(raw: string): { params: string[]; quoted: boolean[] } {
  const params: string[] = [];
  const quoted: boolean[] = [];
  let current = '';
  let inQuotes = false;
  let wasQuoted = false;
  for (const char of raw) {
    if (char === '"') {
      inQuotes = !inQuotes;
      wasQuoted = true;
    } else if (char === ',' && !inQuotes) {
      params.push(wasQuoted ? current : current.trim());
      quoted.push(wasQuoted);
      current = '';
      wasQuoted = false;
    } else {
      current += char;
    }
  }
  if (inQuotes) throw new AtSyntaxError('unterminated string parameter');
  params.push(wasQuoted ? current : current.trim());
  quoted.push(wasQuoted);
  return { params, quoted };
}

/** Index of the first `;` outside quotes at or after `from`, or the end of the text. */
function endOfExtended(text: string, from: number): number {
  let inQuotes = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"') inQuotes = !inQuotes;
    else if (char === ';' && !inQuotes) return i;
  }
  return text.length;
}

function parseExtended(body: string): AtCommand {
  const match = /^([+^$#%*][A-Z0-9_]+)(.*)$/is.exec(body);
  if (!match) throw new AtSyntaxError(`bad extended command '${body}'`);
  const name = match[1]!.toUpperCase();
  const tail = match[2]!;
  if (tail === '') return { name, kind: 'exec', params: [], quoted: [], rawArgs: '' };
  if (tail === '?') return { name, kind: 'read', params: [], quoted: [], rawArgs: '' };
  if (tail === '=?') return { name, kind: 'test', params: [], quoted: [], rawArgs: '' };
  if (tail.startsWith('=')) {
    const rawArgs = tail.slice(1);
    const { params, quoted } = splitParams(rawArgs);
    return { name, kind: 'set', params, quoted, rawArgs };
  }
  throw new AtSyntaxError(`bad extended command '${body}'`);
}

/**
 * Parses the text after the `AT` prefix. Throws AtSyntaxError for anything a modem would answer ERROR to before
 * running a single command.
 */
export function parseCommandLine(afterAt: string): AtCommand[] {
  const commands: AtCommand[] = [];
  let i = 0;
  const text = afterAt;
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === ';') {
      i++;
      continue;
    }
    if ('+^$#%*'.includes(char)) {
      const end = endOfExtended(text, i);
      commands.push(parseExtended(text.slice(i, end).trimEnd()));
      i = end + 1;
      continue;
    }
    const upper = char.toUpperCase();
    if (upper === 'D') {
      // Dial takes the rest of the line (V.250 §6.3.1).
      commands.push({ name: 'D', kind: 'set', params: [], quoted: [], rawArgs: text.slice(i + 1) });
      break;
    }
    if (upper === 'S') {
      const match = /^S(\d+)(\?|=(\d*))?/i.exec(text.slice(i));
      if (!match) throw new AtSyntaxError(`bad S-register command at '${text.slice(i)}'`);
      const kind: CommandKind = match[2] === '?' ? 'read' : match[2] === undefined ? 'exec' : 'set';
      const value = match[3] ?? '';
      commands.push({ name: `S${Number(match[1])}`, kind, params: [value], quoted: [false], rawArgs: value });
      i += match[0].length;
      continue;
    }
    const match = /^(&?[A-Z])(\d*)/i.exec(text.slice(i));
    if (!match) throw new AtSyntaxError(`unexpected character '${char}'`);
    const value = match[2]!;
    commands.push({
      name: match[1]!.toUpperCase(),
      kind: value === '' ? 'exec' : 'set',
      params: [value],
      quoted: [false],
      rawArgs: value,
    });
    i += match[0].length;
  }
  return commands;
}
