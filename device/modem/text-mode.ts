import { type DecodedSms, decodePdu } from '../../src/sms/index.js';
import { STAT_TEXT, type StoredMessage } from './sms-storage.js';

/**
 * Text-mode (AT+CMGF=1) presentation of stored PDUs, TS 27.005 §3.1 and §4: addresses in quotes, the time stamp as
 * "yy/MM/dd,hh:mm:ss±zz" (zz in quarter hours), the data as characters, or hex for 8-bit / UCS-2 under +CSCS="UCS2".
 */

/** TP-SCTS as text mode prints it, from the codec's ISO 8601 form. */
export function textTimestamp(iso: string): string {
  const match = /^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)$/.exec(iso);
  if (!match) return '';
  const [, yy, mo, dd, hh, mi, ss, sign, oh, om] = match;
  const quarters = String((Number(oh) * 60 + Number(om)) / 15).padStart(2, '0');
  return `${yy}/${mo}/${dd},${hh}:${mi}:${ss}${sign}${quarters}`;
}

function toa(address: string): number {
  return address.startsWith('+') ? 145 : 129;
}

function data(decoded: DecodedSms, charset: string): string {
  if (decoded.text === null) return decoded.data_hex ?? '';
  if (charset === 'UCS2') {
    return [...decoded.text]
      .flatMap((char) => {
        const units: string[] = [];
        for (let i = 0; i < char.length; i++)
          units.push(char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0'));
        return units;
      })
      .join('');
  }
  return decoded.text;
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

export function statText(message: StoredMessage): string {
  return STAT_TEXT[message.stat];
}

/** Text the TE typed in the current +CSCS character set; UCS2 is hex, four digits per UTF-16 unit (TS 27.007 §5.5). */
export function fromCharset(text: string, charset: string): string | undefined {
  if (charset !== 'UCS2') return text;
  if (!/^([0-9A-Fa-f]{4})*$/.test(text)) return undefined;
  const units: number[] = [];
  for (let i = 0; i < text.length; i += 4) units.push(Number.parseInt(text.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
}
