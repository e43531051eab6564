import { encodeAddress, encodeSmsc } from './address.js';
import { buildDcs, type Encoding } from './dcs.js';
import { checkOctet, concatReference, type PortOptions, resolvePorts } from './options.js';
import { bytesToHex } from './reader.js';
import { planSegments } from './segment.js';
import { encodeTimestamp } from './timestamp.js';
import type { EncodedPart } from './types.js';
import { buildUserData } from './user-data.js';

/** SMSC written into SMS-DELIVER PDUs when the caller names none (a plausible international number). */
export const DEFAULT_SMSC = '+31624000000';

export interface DeliverOptions {
  /** Originator: `+digits`, digits (`2936`, `000`), or an alphanumeric sender of up to 11 GSM-7 characters. */
  from: string;
  text?: string;
  data?: Uint8Array;
  /** TP-SCTS, ISO 8601 with an offset (`2026-11-27T16:20:05+01:00`); the offset must be whole quarter hours. */
  timestamp: string;
  /** SMSC prefix; default DEFAULT_SMSC; `''` writes `00` (no SMSC), as some modems print for +CMT. */
  smsc?: string;
  concatReference?: number;
  concatReferenceBits?: 8 | 16;
  /** Force an encoding (text as 8-bit goes out as its UTF-8 bytes). */
  forceEncoding?: Encoding;
  pid?: number;
  messageClass?: 0 | 1 | 2 | 3;
  statusReportIndication?: boolean;
  /** TP-MMS: the SMSC has more messages waiting for this MS. */
  moreMessagesToSend?: boolean;
  replyPath?: boolean;
  ports?: PortOptions;
}

/**
 * SMS-DELIVER PDUs (TS 23.040 §9.2.2.1) as a network delivers them and a modem prints them in +CMGR/+CMT: SMSC
 * prefix, then the TPDU; concatenated parts when the content does not fit one SMS.
 */
export function encodeDeliver(options: DeliverOptions): EncodedPart[] {
  const smsc = encodeSmsc(options.smsc === undefined ? DEFAULT_SMSC : options.smsc);
  const originator = encodeAddress(options.from, 'from', true);
  const timestamp = encodeTimestamp(options.timestamp, 'timestamp');
  const bits = options.concatReferenceBits ?? 8;
  const ports = resolvePorts(options.ports);
  const plan = planSegments({
    text: options.text,
    data: options.data,
    forceEncoding: options.forceEncoding,
    concatBits: bits,
    portBits: ports?.bits ?? null,
  });
  const pid = checkOctet(options.pid ?? 0, 'pid');
  const dcs = buildDcs(plan.encoding, options.messageClass ?? null);
  const total = plan.segments.length;
  const seed = options.from + options.timestamp + (options.text ?? bytesToHex(options.data ?? []));
  const ref = concatReference(total, options.concatReference, seed, bits);
  return plan.segments.map((segment, index) => {
    const concat = total > 1 ? { ref, total, seq: index + 1, ref_bits: bits } : null;
    const userData = buildUserData(segment.encoding, segment.units, concat, ports);
    // First octet: MTI 00, TP-MMS bit 2 (set = no more messages), SRI bit 5, UDHI bit 6, RP bit 7.
    const first =
      (options.moreMessagesToSend ? 0 : 0x04) |
      (options.statusReportIndication ? 0x20 : 0) |
      (concat !== null || ports !== null ? 0x40 : 0) |
      (options.replyPath ? 0x80 : 0);
    const tpdu = [first, ...originator, pid, dcs, ...timestamp, ...userData];
    return { pdu: bytesToHex([...smsc, ...tpdu]), tpdu_length: tpdu.length };
  });
}
