import type { Encoding } from './dcs.js';
import { SmsEncodeError } from './errors.js';
import { encodeGsm7, gsm7CharSeptets } from './gsm7.js';
import { encodeUcs2 } from './ucs2.js';
import { udhLength } from './udh.js';

/** Maximum user data: 140 octets = 160 septets (TS 23.040 §9.2.3.16). */
const MAX_USER_DATA_OCTETS = 140;
/** At most 255 parts: the concatenation IE counts them in one octet. */
const MAX_PARTS = 255;

/** One part's payload before headers: septets for GSM-7, octets otherwise. */
interface Segment {
  encoding: Encoding;
  /** Septet values (gsm7) or octets (ucs2, 8bit). */
  units: number[];
}

interface SegmentPlan {
  encoding: Encoding;
  segments: Segment[];
}

/** Septets (gsm7) or octets (ucs2/8bit) one part can carry after a UDH of `headerOctets` (UDHL included). */
export function capacity(encoding: Encoding, headerOctets: number): number {
  const octets = MAX_USER_DATA_OCTETS - headerOctets;
  if (encoding === 'gsm7') return Math.floor((octets * 8) / 7);
  if (encoding === 'ucs2') return octets - (octets % 2);
  return octets;
}

/** GSM-7 when every character fits the default alphabet or its extension table, else UCS-2. */
function chooseEncoding(text: string): 'gsm7' | 'ucs2' {
  return encodeGsm7(text) === null ? 'ucs2' : 'gsm7';
}

/**
 * Splits text into chunks of whole characters, each at most `limit` units: an escape pair (two septets) or a
 * surrogate pair (two UTF-16 code units, four octets) always stays in one part.
 */
function chunkText(text: string, encoding: 'gsm7' | 'ucs2', limit: number): number[][] {
  const chunks: number[][] = [];
  let current: number[] = [];
  for (const char of text) {
    const units = encoding === 'gsm7' ? gsm7CharSeptets(char)! : Array.from(encodeUcs2(char));
    if (current.length + units.length > limit) {
      chunks.push(current);
      current = [];
    }
    current.push(...units);
  }
  chunks.push(current);
  return chunks;
}

function chunkBytes(data: Uint8Array, limit: number): number[][] {
  const chunks: number[][] = [];
  for (let i = 0; i < data.length; i += limit) chunks.push(Array.from(data.subarray(i, i + limit)));
  if (chunks.length === 0) chunks.push([]);
  return chunks;
}

interface PlanOptions {
  text?: string | undefined;
  data?: Uint8Array | undefined;
  forceEncoding?: Encoding | undefined;
  /** Bits of the concatenation reference the parts would carry (8 → 6-octet UDH, 16 → 7). */
  concatBits: 8 | 16;
  /** Port IE size, when the message carries application ports. */
  portBits: 8 | 16 | null;
}

/** Chooses the encoding and cuts the content into parts (one part when it fits, else concatenated parts). */
export function planSegments(options: PlanOptions): SegmentPlan {
  const { text, data } = options;
  if ((text === undefined) === (data === undefined))
    throw new SmsEncodeError('text', 'give exactly one of text and data');
  let encoding: Encoding;
  let content: { kind: 'text'; text: string; encoding: 'gsm7' | 'ucs2' } | { kind: 'bytes'; bytes: Uint8Array };
  if (data !== undefined) {
    if (options.forceEncoding && options.forceEncoding !== '8bit') {
      throw new SmsEncodeError('data', `binary data cannot be sent as ${options.forceEncoding}`);
    }
    encoding = '8bit';
    content = { kind: 'bytes', bytes: data };
  } else if (options.forceEncoding === '8bit') {
    encoding = '8bit';
    content = { kind: 'bytes', bytes: new TextEncoder().encode(text) };
  } else {
    const textEncoding = options.forceEncoding ?? chooseEncoding(text!);
    if (textEncoding === 'gsm7' && encodeGsm7(text!) === null) {
      throw new SmsEncodeError('text', 'text has characters outside the GSM 7-bit alphabet');
    }
    encoding = textEncoding;
    content = { kind: 'text', text: text!, encoding: textEncoding };
  }
  const single = capacity(encoding, udhLength(null, options.portBits));
  const multi = capacity(encoding, udhLength(options.concatBits, options.portBits));
  const split = (limit: number) =>
    content.kind === 'text' ? chunkText(content.text, content.encoding, limit) : chunkBytes(content.bytes, limit);
  let chunks = split(single);
  if (chunks.length > 1) chunks = split(multi);
  if (chunks.length > MAX_PARTS) {
    throw new SmsEncodeError(
      content.kind === 'text' ? 'text' : 'data',
      `needs ${chunks.length} parts, at most ${MAX_PARTS}`,
    );
  }
  return { encoding, segments: chunks.map((units) => ({ encoding, units })) };
}

/**
 * How `text` would go out: GSM-7 septets (extension characters count 2) or UCS-2 code units (an emoji counts 2),
 * and the number of SMS parts (one part up to 160 septets / 70 units, else parts of 153 / 67 with an 8-bit
 * concatenation header, never splitting an escape or a surrogate pair).
 */
export function measureText(text: string): { encoding: 'gsm7' | 'ucs2'; units: number; parts: number } {
  const septets = encodeGsm7(text);
  const encoding = septets === null ? 'ucs2' : 'gsm7';
  const units = septets === null ? text.length : septets.length;
  const single = encoding === 'gsm7' ? 160 : 70;
  if (units <= single) return { encoding, units, parts: 1 };
  return { encoding, units, parts: chunkText(text, encoding, capacity(encoding, udhLength(8, null))).length };
}
