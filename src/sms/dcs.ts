import { PduError } from './errors.js';

export type Encoding = 'gsm7' | 'ucs2' | '8bit';

export interface MessageWaiting {
  type: 'voicemail' | 'fax' | 'email' | 'other';
  active: boolean;
  /** Group 1100 "discard message": the indication matters, the text may be dropped. */
  discard: boolean;
}

export interface DataCoding {
  encoding: Encoding;
  class: 0 | 1 | 2 | 3 | null;
  message_waiting: MessageWaiting | null;
  /** Coding group 01xx: the message is marked for automatic deletion once read. */
  auto_delete: boolean;
}

const ALPHABETS: Encoding[] = ['gsm7', '8bit', 'ucs2', 'gsm7'];
const WAITING_TYPES: MessageWaiting['type'][] = ['voicemail', 'fax', 'email', 'other'];

/**
 * TP-DCS, TS 23.038 §4. General groups 00xx/01xx (compression, class, alphabet), message-waiting groups
 * 1100/1101/1110, data coding/class group 1111. Reserved alphabet values and reserved groups 1000-1011 are read as
 * the GSM 7-bit default alphabet, as §4 tells a receiver to. Compressed text (TS 23.042) is refused: decoding it
 * as if it were plain would be silently wrong.
 */
export function parseDcs(dcs: number, offset: number): DataCoding {
  const group = dcs >> 4;
  if (group <= 0x7) {
    if (dcs & 0x20)
      throw new PduError('dcs', offset, `DCS ${hex(dcs)} marks the text compressed (TS 23.042), not supported`);
    return {
      encoding: ALPHABETS[(dcs >> 2) & 3]!,
      class: dcs & 0x10 ? ((dcs & 3) as 0 | 1 | 2 | 3) : null,
      message_waiting: null,
      auto_delete: group >= 0x4,
    };
  }
  if (group >= 0xc && group <= 0xe) {
    return {
      encoding: group === 0xe ? 'ucs2' : 'gsm7',
      class: null,
      message_waiting: { type: WAITING_TYPES[dcs & 3]!, active: (dcs & 0x08) !== 0, discard: group === 0xc },
      auto_delete: false,
    };
  }
  if (group === 0xf) {
    return {
      encoding: dcs & 0x04 ? '8bit' : 'gsm7',
      class: (dcs & 3) as 0 | 1 | 2 | 3,
      message_waiting: null,
      auto_delete: false,
    };
  }
  return { encoding: 'gsm7', class: null, message_waiting: null, auto_delete: false };
}

/** DCS octet for an encoder: general group, with the class bits when a class is given. */
export function buildDcs(encoding: Encoding, messageClass: 0 | 1 | 2 | 3 | null = null): number {
  const alphabet = encoding === 'gsm7' ? 0x00 : encoding === '8bit' ? 0x04 : 0x08;
  return messageClass === null ? alphabet : 0x10 | alphabet | messageClass;
}

function hex(value: number): string {
  return value.toString(16).toUpperCase().padStart(2, '0');
}
