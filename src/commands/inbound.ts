import { createHash } from 'node:crypto';
import type { AssembledMessage, Concat, DecodedDeliver } from '../sms/index.js';
import { splitIncludeSid } from './include-sid.js';
import type { ProductProfile } from './products.js';

/** The `m2m/command/received` payload (ARCHITECTURE.md, MQTT topics). */
export interface CommandRecord {
  /** The Command SID when IncludeSid put one in the text, else `sms_` + a digest (stable across re-reads). */
  id: string;
  sid: string | null;
  mode: 'text' | 'binary';
  /** Text, or base64 of the bytes for binary. */
  body: string;
  from: string;
  /** TP-SCTS as the codec gave it (ISO 8601 with the network's offset); null when unknown. */
  sent_at: string | null;
  /** When the bridge read it (ISO 8601, UTC). */
  received_at: string;
  /** Parts the message had (1 for a single SMS). */
  parts: number;
  /** True when parts were still missing after the multipart timeout. */
  partial: boolean;
}

/** What this module needs of a decoded SMS-DELIVER (src/sms `decodePdu`). */
export type InboundSms = Pick<DecodedDeliver, 'originator' | 'timestamp' | 'encoding' | 'text' | 'data_hex'> & {
  concat: Concat | null;
};

/** What this module needs of a reassembled multipart message (src/sms `assembleParts`). */
export type InboundMessage = Pick<
  AssembledMessage,
  'sender' | 'timestamp' | 'encoding' | 'text' | 'data_hex' | 'ref' | 'ref_bits' | 'total' | 'received' | 'partial'
>;

export interface InboundOptions {
  profile: ProductProfile;
  /** Milliseconds since the epoch, from the caller's clock (this module reads no clock). */
  receivedAt: number;
}

function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

/** sha256 over everything that identifies one SMS as the network sent it; 128 bits are plenty for a dedupe key. */
function digestId(parts: (string | number | null)[]): string {
  return `sms_${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32)}`;
}

/** A whole message (single SMS or reassembled) → command record. 8-bit data → binary; GSM-7 and UCS-2 → text. */
export function commandFromMessage(message: InboundMessage, options: InboundOptions): CommandRecord {
  return buildRecord(message, options, true);
}

function buildRecord(message: InboundMessage, options: InboundOptions, parseSid: boolean): CommandRecord {
  const binary = message.encoding === '8bit' || message.text === null;
  const rawBody = binary ? hexToBase64(message.data_hex ?? '') : (message.text ?? '');
  // The cloud adds the SID to text Commands only; binary bodies are never searched for one.
  const split = binary || !parseSid ? { sid: null, body: rawBody } : splitIncludeSid(rawBody, options.profile);
  const id =
    split.sid ??
    digestId([
      message.sender,
      message.timestamp,
      message.ref_bits,
      message.ref,
      message.total,
      message.received.join(','),
      binary ? 'binary' : 'text',
      rawBody,
    ]);
  return {
    id,
    sid: split.sid,
    mode: binary ? 'binary' : 'text',
    body: split.body,
    from: message.sender,
    sent_at: message.timestamp,
    received_at: new Date(options.receivedAt).toISOString(),
    parts: message.total,
    partial: message.partial,
  };
}

/** The message of a single-part SMS-DELIVER (a part of a concatenated SMS goes through reassembly instead). */
export function messageFromSms(sms: InboundSms): InboundMessage {
  return {
    sender: sms.originator,
    timestamp: sms.timestamp,
    encoding: sms.encoding,
    text: sms.text,
    data_hex: sms.data_hex,
    ref: sms.concat?.ref ?? null,
    ref_bits: sms.concat?.ref_bits ?? null,
    total: sms.concat?.total ?? 1,
    received: [sms.concat?.seq ?? 1],
    partial: false,
  };
}

/** A single-part SMS-DELIVER → command record. A part of a concatenated SMS must be reassembled first. */
export function commandFromSms(sms: InboundSms, options: InboundOptions): CommandRecord {
  if (sms.concat && sms.concat.total > 1) {
    throw new TypeError(
      `SMS is part ${sms.concat.seq} of ${sms.concat.total}: reassemble it (multipartKeys, assembleStoredParts) first`,
    );
  }
  return commandFromMessage(messageFromSms(sms), options);
}

/** The `m2m/sms/rejected` payload: the message as received (no SID taken off), and why it is not a command. */
export interface RejectedRecord extends Omit<CommandRecord, 'sid'> {
  reason: string;
}

/**
 * A message from a sender outside the allow-list. Its id is always the digest: a stranger's text that ends in a
 * SID-looking word must not pose as that Command.
 */
export function rejectedFromMessage(message: InboundMessage, options: InboundOptions, reason: string): RejectedRecord {
  const { sid: _sid, ...record } = buildRecord(message, options, false);
  return { ...record, reason };
}
