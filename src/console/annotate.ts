import { recogniseFinal } from '../at/final-result.js';
import { describePdu, explainFinal } from './explain.js';
import { explainAnswer } from './explain-answers.js';

/**
 * Sorts the modem's lines for the console, statefully: a PDU follows the headers of +CMGR, +CMGL (the length is their
 * last field, 3GPP TS 27.005 §3.4.2/§3.4.3) and +CMT/+CDS (§3.4.1), and unsolicited result codes are told apart from
 * the answer to the command in flight, as the daemon's channel does (src/at/channel.ts): a known URC prefix is a URC
 * unless it is the prefix of the command in flight (`+CREG:` answers AT+CREG? but is also the URC).
 */
type LineKind = 'response' | 'final' | 'urc' | 'pdu';

export interface AnnotatedLine {
  kind: LineKind;
  text: string;
  /** An explanation printed under the line (decoded PDU, error code meaning). */
  note: string | null;
}

/** URCs of 3GPP TS 27.005/27.007 and the vendor ones FACTS.md lists; a two-line URC carries a PDU on its second line. */
const URC_PREFIXES = [
  '+CMTI:',
  '+CMT:',
  '+CDS:',
  '+CDSI:',
  '+CBM:',
  '+CREG:',
  '+CGREG:',
  '+CEREG:',
  '+C5GREG:',
  '+CIEV:',
  '+CUSD:',
  '+CRING:',
  '+CLIP:',
  '+CPIN:',
  '+QIND:',
  '+QUSIM:',
  '^RSSI:',
  '^BOOT:',
  '^NWTIME:',
  '^MODE:',
  '+UUPSDA:',
  '#QSS:',
];
const URC_LINES = new Set(['RING', 'RDY', 'SMS Ready', 'Call Ready', 'PB DONE', 'NO CARRIER', '+CFUN: 1']);
const PDU_HEADERS = ['+CMGR:', '+CMGL:', '+CMT:', '+CDS:'];

/** `AT+CREG?` → `+CREG:`; `AT^SYSINFO` → `^SYSINFO:`; bare commands (ATI, AT) → null. */
export function responsePrefixOf(command: string): string | null {
  const m = /^AT([+^#$%][A-Z0-9]+)/i.exec(command.trim());
  return m ? `${m[1]!.toUpperCase()}:` : null;
}

export function isUrcLine(line: string, inFlight: string | null): boolean {
  const own = inFlight ? responsePrefixOf(inFlight) : null;
  if (own !== null && line.toUpperCase().startsWith(own)) return false;
  return URC_LINES.has(line) || URC_PREFIXES.some((prefix) => line.startsWith(prefix));
}

export class LineAnnotator {
  /** Set after a PDU header: the next hex line is its PDU, with this TPDU length (when the header gave one). */
  private pduExpected: { length: number | undefined } | null = null;

  /** `inFlight`: the command awaiting its final result, or null (then every line is unsolicited). */
  annotate(line: string, inFlight: string | null): AnnotatedLine {
    if (this.pduExpected && /^(?:[0-9A-Fa-f]{2})+$/.test(line)) {
      const { length } = this.pduExpected;
      this.pduExpected = null;
      return { kind: 'pdu', text: line, note: describePdu(line, length) };
    }
    this.pduExpected = null;
    if (PDU_HEADERS.some((header) => line.startsWith(header))) {
      const last = line.split(',').at(-1)?.trim();
      this.pduExpected = { length: last && /^\d+$/.test(last) ? Number(last) : undefined };
    }
    if (inFlight !== null && recogniseFinal(line)) {
      const note = line === 'ERROR' ? 'no reason given: AT+CMEE=1 makes the modem answer +CME/+CMS ERROR codes' : null;
      return { kind: 'final', text: line, note: note ?? explainFinal(line) };
    }
    if (inFlight === null || isUrcLine(line, inFlight)) {
      // A final result with nothing in flight is a late answer; show it as what it is.
      const late = recogniseFinal(line) ? 'late final result (no command waiting)' : null;
      return { kind: 'urc', text: line, note: late ?? explainAnswer(line, true) };
    }
    return { kind: 'response', text: line, note: explainAnswer(line, false) };
  }
}
