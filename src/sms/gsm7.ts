import { PduError } from './errors.js';

/**
 * GSM 7-bit default alphabet, 3GPP TS 23.038 §6.2.1, indexed by septet value. 0x1B is the escape to the extension
 * table (shown here as U+001B but never produced by the decoder). 0x09 is capital C-cedilla per the table; lower-case
 * ç is not in the alphabet, so it goes out as UCS-2 rather than silently changing case.
 */
const DEFAULT_ALPHABET =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table, TS 23.038 §6.2.1.1: reached with ESC (0x1B) + septet; each costs two septets. */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

const ESCAPE = 0x1b;

const charToSeptet = new Map<string, number>();
for (let i = 0; i < DEFAULT_ALPHABET.length; i++) {
  if (i !== ESCAPE) charToSeptet.set(DEFAULT_ALPHABET[i]!, i);
}
const charToExtension = new Map<string, number>(EXTENSION.map(([septet, char]) => [char, septet]));
const extensionToChar = new Map<number, string>(EXTENSION);

/** The septets of one UTF-16 code unit (or code point string), or null when GSM-7 cannot carry it. */
export function gsm7CharSeptets(char: string): number[] | null {
  const base = charToSeptet.get(char);
  if (base !== undefined) return [base];
  const ext = charToExtension.get(char);
  if (ext !== undefined) return [ESCAPE, ext];
  return null;
}

/** All septets of `text`, or null if any character is outside the default alphabet and its extension table. */
export function encodeGsm7(text: string): number[] | null {
  const out: number[] = [];
  for (const char of text) {
    const septets = gsm7CharSeptets(char);
    if (septets === null) return null;
    out.push(...septets);
  }
  return out;
}

/**
 * Septets to text. An escape followed by a code the extension table lacks shows the default-alphabet character
 * (TS 23.038 §6.2.1.1); ESC ESC (reserved for a further table) shows a space, as the spec says. An escape with
 * nothing after it cannot be rendered faithfully and is an error.
 */
export function decodeGsm7(septets: ArrayLike<number>, field: string, offset: number): string {
  let out = '';
  for (let i = 0; i < septets.length; i++) {
    const septet = septets[i]! & 0x7f;
    if (septet !== ESCAPE) {
      out += DEFAULT_ALPHABET[septet]!;
      continue;
    }
    i++;
    if (i >= septets.length) throw new PduError(field, offset, 'GSM 7-bit text ends in an escape character');
    const next = septets[i]! & 0x7f;
    if (next === ESCAPE) out += ' ';
    else out += extensionToChar.get(next) ?? DEFAULT_ALPHABET[next]!;
  }
  return out;
}
