/**
 * +CMGR / +CMGL in PDU mode (3GPP TS 27.005 §3.4.2, §3.4.3): `+CMGR: <stat>,[<alpha>],<length>` then the PDU line.
 * Real modems vary (FACTS.md): `+CMGR: 0,23` (no alpha field), `+CMGR: ,,92` (no stat), `+CMGR: 0,"",50`, a space
 * instead of CRLF before the PDU, and an empty slot answering a bare OK.
 */
export interface StoredPdu {
  index: number;
  /** 0 received unread, 1 received read, 2 stored unsent, 3 stored sent; undefined when the modem left it out. */
  stat: number | undefined;
  /** `<length>`: TPDU octets, the SMSC prefix excluded. */
  length: number;
  pdu: string;
}

export interface SmsListResult {
  messages: StoredPdu[];
  /** Lines that could not be understood, for a warning: they are never silently counted as messages. */
  skipped: string[];
}

// [<stat>][,[<alpha>]],<length>[ <pdu>]
const TAIL = /^\s*(\d*)\s*(?:,\s*(?:"[^"]*"|[^,"]*)\s*)?,\s*(\d+)\s*(?:[\s,]+([0-9A-Fa-f]+))?\s*$/;
const HEX = /^[0-9A-Fa-f]+$/;

export function parseCmgl(lines: readonly string[]): SmsListResult {
  const messages: StoredPdu[] = [];
  const skipped: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^\+CMGL:\s*(\d+)\s*,(.*)$/.exec(line);
    const tail = m ? TAIL.exec(m[2]!) : null;
    if (!m || !tail) {
      skipped.push(line);
      continue;
    }
    let pdu = tail[3];
    if (pdu === undefined) {
      const next = lines[i + 1]?.trim();
      if (next !== undefined && HEX.test(next)) {
        pdu = next;
        i++;
      }
    }
    if (pdu === undefined) {
      skipped.push(line);
      continue;
    }
    messages.push({
      index: Number(m[1]),
      stat: optionalInt(tail[1]!),
      length: Number(tail[2]),
      pdu: pdu.toUpperCase(),
    });
  }
  return { messages, skipped };
}

/** The message in one slot, or null when the slot is empty (bare OK, or no PDU line). */
export function parseCmgr(index: number, lines: readonly string[]): StoredPdu | null {
  const at = lines.findIndex((l) => l.startsWith('+CMGR:'));
  if (at < 0) return null;
  const tail = TAIL.exec(lines[at]!.slice('+CMGR:'.length));
  if (!tail) return null;
  let pdu = tail[3];
  if (pdu === undefined) {
    const next = lines[at + 1]?.trim();
    if (next !== undefined && HEX.test(next)) pdu = next;
  }
  if (pdu === undefined) return null;
  return { index, stat: optionalInt(tail[1]!), length: Number(tail[2]), pdu: pdu.toUpperCase() };
}

/** True when the PDU carries no SMSC prefix: its whole length equals `<length>` (some firmware omits the SCA). */
export function pduHasNoSmsc(stored: Pick<StoredPdu, 'length' | 'pdu'>): boolean {
  return stored.pdu.length / 2 === stored.length;
}

function optionalInt(text: string): number | undefined {
  return text === '' ? undefined : Number(text);
}
