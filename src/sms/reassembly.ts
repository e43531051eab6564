import type { Encoding } from './dcs.js';
import type { DecodedSms } from './types.js';

/**
 * Joins the parts of one concatenated SMS (TS 23.040 §9.2.3.24.1). Pure and stateless: the caller holds the parts
 * (the journal's part rows are the product's one multipart model, src/commands/multipart.ts) and passes the time.
 * There is no reassembly state to keep in step with them; each call looks at the parts it is given.
 *
 * Parts may be given in any order; a repeated part (the same sequence number) counts once, the earliest received.
 * A message whose parts are all there comes out whole; one still incomplete `timeoutMs` after its first part arrived
 * comes out flagged `partial` with what it has; otherwise nothing yet.
 */

/** One received part: the decoded SMS, when it was received (ms), and the caller's tag (e.g. a journal row id). */
export interface PartToAssemble {
  sms: DecodedSms;
  received_at: number;
  tag: string | null;
}

export interface AssembledMessage {
  /** The reassembly key (sender, reference, total, reference bits); null for a single-part SMS. */
  key: string | null;
  sender: string;
  /** Concatenation reference, null for a single-part SMS. */
  ref: number | null;
  ref_bits: 8 | 16 | null;
  total: number;
  /** Sequence numbers present, ascending. */
  received: number[];
  /** Sequence numbers never seen (empty unless partial). */
  missing: number[];
  partial: boolean;
  /** The first present part's encoding. */
  encoding: Encoding | null;
  /** Text of the present parts in order, or null when any part has no text (8-bit). */
  text: string | null;
  /** Octets of the present parts in order, or null when any part is GSM-7 (no octet form). */
  data_hex: string | null;
  /** TP-SCTS of the lowest present part. */
  timestamp: string | null;
  first_received_at: number;
  /** The callers' tags in sequence order. */
  tags: (string | null)[];
}

/** Parts of one message share this key: a reused reference from another sender, total or width is another message. */
export function reassemblyKey(sender: string, ref: number, total: number, refBits: 8 | 16): string {
  return JSON.stringify([sender, ref, total, refBits]);
}

function senderOf(sms: DecodedSms): string {
  if (sms.type === 'SMS-DELIVER') return sms.originator;
  if (sms.type === 'SMS-SUBMIT') return sms.destination;
  return sms.recipient;
}

/**
 * The message the given parts of one concatenated SMS make: whole when every part is there, partial when the first
 * part is at least `timeoutMs` old at `now`, else null (keep waiting). A single-part SMS comes straight back whole.
 */
export function assembleParts(
  parts: readonly PartToAssemble[],
  options: { now: number; timeoutMs: number },
): AssembledMessage | null {
  const ordered = [...parts].sort((a, b) => a.received_at - b.received_at);
  const first = ordered[0];
  if (!first) return null;
  const sender = senderOf(first.sms);
  const concat = first.sms.concat && first.sms.concat.total > 1 ? first.sms.concat : null;
  const total = concat?.total ?? 1;
  const bySeq = new Map<number, PartToAssemble>();
  if (!concat) bySeq.set(1, first);
  else {
    for (const part of ordered) {
      const seq = part.sms.concat?.seq;
      if (seq !== undefined && part.sms.concat?.total === total && !bySeq.has(seq)) bySeq.set(seq, part);
    }
  }
  const complete = bySeq.size === total;
  if (!complete && options.now - first.received_at < options.timeoutMs) return null;
  const received: number[] = [];
  const missing: number[] = [];
  for (let seq = 1; seq <= total; seq++) (bySeq.has(seq) ? received : missing).push(seq);
  const present = received.map((seq) => bySeq.get(seq)!);
  const lowest = present[0]!.sms;
  return {
    key: concat ? reassemblyKey(sender, concat.ref, concat.total, concat.ref_bits) : null,
    sender,
    ref: concat?.ref ?? null,
    ref_bits: concat?.ref_bits ?? null,
    total,
    received,
    missing,
    partial: !complete,
    encoding: lowest.encoding,
    text: present.every(({ sms }) => sms.text !== null) ? present.map(({ sms }) => sms.text).join('') : null,
    data_hex: present.every(({ sms }) => sms.data_hex !== null)
      ? present.map(({ sms }) => sms.data_hex).join('')
      : null,
    timestamp: lowest.type === 'SMS-SUBMIT' ? null : lowest.timestamp,
    first_received_at: first.received_at,
    tags: present.map((part) => part.tag),
  };
}
