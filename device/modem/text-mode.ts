import { gsm7CharSeptets } from '../../src/sms/gsm7.js';
import { type DecodedSms, decodePdu } from '../../src/sms/index.js';
import type { StoredMessage } from './sms-storage.js';

/**
 * Text-mode (AT+CMGF=1) presentation of stored PDUs, TS 27.005 §3.1 and §4: addresses in quotes, the time stamp as
 * "yy/MM/dd,hh:mm:ss±zz" (zz in quarter hours), GSM 7-bit text in the +CSCS character set, 8-bit and UCS-2 data as hex.
 */

/** TP-SCTS as text mode prints it, from the codec's ISO 8601 form. */
function textTimestamp(iso: string | null): string {
  // An SCTS whose digits the codec could not read (null) prints empty, as for any other unparsable time.
  if (iso === null) return '';
  const match = /^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)$/.exec(iso);
  if (!match) return '';
  const [, yy, mo, dd, hh, mi, ss, sign, oh, om] = match;
  const quarters = String((Number(oh) * 60 + Number(om)) / 15).padStart(2, '0');
  return `${yy}/${mo}/${dd},${hh}:${mi}:${ss}${sign}${quarters}`;
}

function toa(address: string): number {
  return address.startsWith('+') ? 145 : 129;
}

/** UTF-16 code units as four hex digits each (+CSCS="UCS2", TS 27.007 §5.5). */
function ucs2Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return out;
}

/** What a TE character set cannot show becomes `?`, as firmware substitutes it. */
const UNREPRESENTABLE = '?';

/** GSM 7-bit default alphabet septets (extension characters as ESC + code), one byte each. */
function gsmSeptets(text: string): number[] {
  const septets: number[] = [];
  for (const char of text) septets.push(...(gsm7CharSeptets(char) ?? [UNREPRESENTABLE.charCodeAt(0)]));
  return septets;
}

/**
 * Text of a GSM 7-bit message in the TE character set (+CSCS, TS 27.007 §5.5; TS 27.005 §3.1 <data>). The string's
 * char codes are the bytes written (the session writes latin1): under "GSM" the septet values of TS 23.038 (`@` is
 * 0x00, `€` is ESC 0x65), under "IRA" ASCII, under "8859-1" Latin-1, under "HEX" the septets in hex.
 */
function toCharset(text: string, charset: string): string {
  switch (charset) {
    case 'UCS2':
      return ucs2Hex(text);
    case 'GSM':
      return String.fromCharCode(...gsmSeptets(text));
    case 'HEX':
      return gsmSeptets(text)
        .map((septet) => septet.toString(16).toUpperCase().padStart(2, '0'))
        .join('');
    case '8859-1':
      return [...text].map((char) => (char.charCodeAt(0) <= 0xff ? char : UNREPRESENTABLE)).join('');
    default:
      return [...text].map((char) => (char.charCodeAt(0) <= 0x7f ? char : UNREPRESENTABLE)).join('');
  }
}

/**
 * <data> of TS 27.005 §3.1: 8-bit and UCS-2 messages as hex (two digits per octet) whatever +CSCS says, GSM 7-bit
 * messages converted into the TE character set.
 */
function data(decoded: DecodedSms, charset: string): string {
  if (decoded.text === null) return decoded.data_hex ?? '';
  if (decoded.encoding === 'ucs2') return ucs2Hex(decoded.text);
  return toCharset(decoded.text, charset);
}

function firstOctet(pdu: string): number {
  const smscOctets = Number.parseInt(pdu.slice(0, 2), 16);
  return Number.parseInt(pdu.slice(2 + smscOctets * 2, 4 + smscOctets * 2), 16);
}

function decode(pdu: string): DecodedSms | undefined {
  try {
    return decodePdu(pdu, { smsc: true });
  } catch {
    return undefined;
  }
}

/** `+CMT: <oa>,[<alpha>],<scts>[,<tooa>,<fo>,<pid>,<dcs>,<sca>,<tosca>,<length>]` and the data. */
export function textModeCmt(pdu: string, details: boolean, charset = 'GSM'): string[] {
  const decoded = decode(pdu);
  if (decoded?.type !== 'SMS-DELIVER') return ['+CMT: "",,""', ''];
  const body = data(decoded, charset);
  const head = `+CMT: "${decoded.originator}",,"${textTimestamp(decoded.timestamp)}"`;
  if (!details) return [head, body];
  const sca = decoded.smsc ?? '';
  return [
    `${head},${toa(decoded.originator)},${firstOctet(pdu)},${decoded.pid},${decoded.dcs},"${sca}",${toa(sca)},${body.length}`,
    body,
  ];
}

/** The header fields shared by +CMGR and +CMGL in text mode, and the data line. */
export function textModeEntry(
  message: StoredMessage,
  charset: string,
): { address: string; rest: string; detail: string; body: string } {
  const decoded = decode(message.pdu);
  if (!decoded) return { address: '""', rest: '', detail: '', body: '' };
  if (decoded.type === 'SMS-DELIVER') {
    const body = data(decoded, charset);
    return {
      address: `"${decoded.originator}"`,
      rest: `,"${textTimestamp(decoded.timestamp)}"`,
      detail: `,${toa(decoded.originator)},${firstOctet(message.pdu)},${decoded.pid},${decoded.dcs},"${decoded.smsc ?? ''}",${toa(decoded.smsc ?? '')},${body.length}`,
      body,
    };
  }
  if (decoded.type === 'SMS-SUBMIT') {
    const body = data(decoded, charset);
    return {
      address: `"${decoded.destination}"`,
      rest: '',
      detail: `,${toa(decoded.destination)},${firstOctet(message.pdu)},${decoded.pid},${decoded.dcs},,"",,${body.length}`,
      body,
    };
  }
  return {
    address: `"${decoded.recipient}"`,
    rest: `,"${textTimestamp(decoded.timestamp)}"`,
    detail: '',
    body: '',
  };
}

/** Text the TE typed in the current +CSCS character set; UCS2 is hex, four digits per UTF-16 unit (TS 27.007 §5.5). */
export function fromCharset(text: string, charset: string): string | undefined {
  if (charset !== 'UCS2') return text;
  if (!/^([0-9A-Fa-f]{4})*$/.test(text)) return undefined;
  const units: number[] = [];
  for (let i = 0; i < text.length; i += 4) units.push(Number.parseInt(text.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}
