import { createHash } from 'node:crypto';
import { type AssembledMessage, assembleParts, type DecodedDeliver, reassemblyKey } from '../sms/index.js';

/**
 * Multipart with the journal as the only state (the design src/store documents): each part is committed as a row
 * keyed by `multipartKeys`, deleted from the modem, and the message is rebuilt from the group's stored rows with
 * `assembleStoredParts` whenever a part arrives or the timeout passes. Nothing lives only in memory, so a restart
 * loses no part.
 */

export interface MultipartKeys {
  /** Parts of one message share it: sender, reference, total, reference width (the codec's reassembly key). */
  group_key: string;
  /** One received part: the group, sequence number, SCTS and a digest of the content. A re-read gives the same key. */
  part_key: string;
  seq: number;
}

/** Keys for a part of a concatenated SMS; null for a single-part SMS (no concatenation, or total 1). */
export function multipartKeys(
  sms: Pick<DecodedDeliver, 'originator' | 'timestamp' | 'encoding' | 'text' | 'data_hex' | 'concat'>,
): MultipartKeys | null {
  const concat = sms.concat;
  if (!concat || concat.total <= 1) return null;
  const group_key = reassemblyKey(sms.originator, concat.ref, concat.total, concat.ref_bits);
  const digest = createHash('sha256')
    .update(JSON.stringify([group_key, concat.seq, sms.timestamp, sms.encoding, sms.text, sms.data_hex]))
    .digest('hex')
    .slice(0, 32);
  return { group_key, part_key: `${group_key}#${concat.seq}#${digest}`, seq: concat.seq };
}

export interface StoredPartInput {
  /** The decoded part as stored (the journal row's payload, parsed). */
  sms: DecodedDeliver;
  /** When it was received (the journal row's received_at). */
  received_at: number;
  /** Carried into the result's `tags` in sequence order (e.g. the journal row id). */
  tag: string;
}

/**
 * Rebuilds one message from its stored parts: the whole message when every part is there; a partial one when the
 * first part is at least `timeoutMs` old (FACTS.md: "multipart messages waiting forever for a lost part" is a top
 * complaint); otherwise null (keep waiting). Repeated parts count once. The codec's `assembleParts`, offered here
 * because the bridge uses src/sms for types only.
 */
export function assembleStoredParts(
  parts: readonly StoredPartInput[],
  options: { now: number; timeoutMs: number },
): AssembledMessage | null {
  return assembleParts(parts, options);
}
