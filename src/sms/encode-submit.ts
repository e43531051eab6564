import { encodeAddress } from './address.js';
import { buildDcs } from './dcs.js';
import { checkOctet, concatReference, type PortOptions, resolvePorts } from './options.js';
import { bytesToHex } from './reader.js';
import { planSegments } from './segment.js';
import type { EncodedPart } from './types.js';
import { buildUserData } from './user-data.js';
import { parseValidity, relativeValidityOctet } from './validity.js';

export interface SubmitOptions {
  /** Destination: `+` and digits (international), or digits such as the short code `2936`. */
  to: string;
  /** Text: GSM-7 when every character fits (extension table included), else UCS-2. */
  text?: string;
  /** Binary payload, sent with 8-bit data coding. */
  data?: Uint8Array;
  /** TP-SRR: ask the SMSC for an SMS-STATUS-REPORT. */
  statusReport?: boolean;
  /** Relative validity: seconds, or `'1d'`, `'12h'`, `'30m'`, `'1w'`; rounded up to what TP-VP can say. */
  validity?: string | number;
  /**
   * TP-MR of the first part; later parts count up, one per SMS-SUBMIT (TS 23.040 §9.2.3.6). Default 0. Most modems
   * assign their own and report it in `+CMGS: <mr>`.
   */
  messageReference?: number;
  /** 8-bit concatenation reference for multipart messages; default a hash of the content (pass a counter). */
  concatReference?: number;
  ports?: PortOptions;
  /** TP-RD: ask the SMSC to reject a submit that repeats an earlier TP-MR and destination. */
  rejectDuplicates?: boolean;
  /** Optional message class (DCS general group with class bits). */
  messageClass?: 0 | 1 | 2 | 3;
}

/**
 * SMS-SUBMIT PDUs (TS 23.040 §9.2.2.2), one per part, each with the `00` SMSC prefix (use the SIM's SMSC) and the
 * TPDU length for AT+CMGS.
 */
export function encodeSubmit(options: SubmitOptions): EncodedPart[] {
  const destination = encodeAddress(options.to, 'to');
  const ports = resolvePorts(options.ports);
  const plan = planSegments({ text: options.text, data: options.data, concatBits: 8, portBits: ports?.bits ?? null });
  const vp = options.validity === undefined ? null : relativeValidityOctet(parseValidity(options.validity));
  const mr = checkOctet(options.messageReference ?? 0, 'messageReference');
  const total = plan.segments.length;
  const seed = options.to + (options.text ?? bytesToHex(options.data ?? []));
  const ref = concatReference(total, options.concatReference, seed, 8);
  const dcs = buildDcs(plan.encoding, options.messageClass ?? null);
  return plan.segments.map((segment, index) => {
    const concat = total > 1 ? { ref, total, seq: index + 1, ref_bits: 8 as const } : null;
    const userData = buildUserData(segment.encoding, segment.units, concat, ports);
    const udhi = concat !== null || ports !== null;
    // First octet: MTI 01, RD bit 2, VPF 10 when a relative validity is given, SRR bit 5, UDHI bit 6.
    const first =
      0x01 |
      (options.rejectDuplicates ? 0x04 : 0) |
      (vp !== null ? 0x10 : 0) |
      (options.statusReport ? 0x20 : 0) |
      (udhi ? 0x40 : 0);
    const tpdu = [first, (mr + index) & 0xff, ...destination, 0x00, dcs, ...(vp !== null ? [vp] : []), ...userData];
    return { pdu: `00${bytesToHex(tpdu)}`, tpdu_length: tpdu.length };
  });
}
