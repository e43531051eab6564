import type { Encoding } from './dcs.js';
import { fnv1a } from './hash.js';
import type { DecodedSms } from './types.js';

/**
 * Multipart reassembly as plain state. Pure: the caller passes the time (`now`, milliseconds) and gets a new state
 * back; nothing is mutated. The state is not a second store of parts: the journal's part rows are the only durable
 * model (src/commands/multipart.ts rebuilds a state from a group's rows each time it assembles).
 *
 * Parts are keyed by (sender, reference, total, reference bits): two messages that happen to reuse a reference
 * are kept apart when their senders, totals or reference sizes differ. Parts may arrive in any order; a repeated
 * part is dropped. A message whose parts are all there comes out at once; one that is still incomplete
 * `timeoutMs` after its first part arrived comes out of `expireParts` flagged `partial` with what it has.
 */

/** A part as stored: what reassembly needs from the decoded SMS, plus the caller's tag (e.g. a journal row id). */
export interface StoredPart {
  encoding: Encoding | null;
  text: string | null;
  data_hex: string | null;
  timestamp: string | null;
  received_at: number;
  tag: string | null;
}

export interface PendingMessage {
  sender: string;
  ref: number;
  total: number;
  ref_bits: 8 | 16;
  first_received_at: number;
  /** By sequence number (1-based), as a string key so the object survives JSON. */
  parts: Record<string, StoredPart>;
}

/** Fingerprints of messages completed recently, so a late repeated part is recognised rather than restarting. */
export interface RecentMessage {
  completed_at: number;
  /** Sequence number → fingerprint of that part's content. */
  parts: Record<string, string>;
}

export interface ReassemblyState {
  version: 1;
  pending: Record<string, PendingMessage>;
  recent: Record<string, RecentMessage>;
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
  /** The callers' tags in sequence order (null entries for parts added without one). */
  tags: (string | null)[];
}

export interface AddPartOptions {
  now: number;
  /** Opaque id kept with the part and returned in `tags` (e.g. the journal row or modem storage index). */
  tag?: string;
  /** The sender key; default the SMS's originator / destination / recipient as decoded. */
  sender?: string;
}

export interface AddPartResult {
  state: ReassemblyState;
  /** The whole message when this part completed it (or was a single-part SMS), else null. */
  message: AssembledMessage | null;
  /** True when the part was already held (or belonged to a message completed within the timeout) and was dropped. */
  duplicate: boolean;
}

export function createReassemblyState(): ReassemblyState {
  return { version: 1, pending: {}, recent: {} };
}

function senderOf(sms: DecodedSms): string {
  if (sms.type === 'SMS-DELIVER') return sms.originator;
  if (sms.type === 'SMS-SUBMIT') return sms.destination;
  return sms.recipient;
}

export function reassemblyKey(sender: string, ref: number, total: number, refBits: 8 | 16): string {
  return JSON.stringify([sender, ref, total, refBits]);
}

function fingerprint(part: StoredPart): string {
  const content = `${part.encoding}|${part.text ?? ''}|${part.data_hex ?? ''}`;
  return `${content.length}:${fnv1a(content).toString(16)}`;
}

function assemble(pending: PendingMessage, key: string | null, partial: boolean): AssembledMessage {
  const received: number[] = [];
  const missing: number[] = [];
  for (let seq = 1; seq <= pending.total; seq++) (pending.parts[seq] ? received : missing).push(seq);
  const parts = received.map((seq) => pending.parts[seq]!);
  const first = parts[0];
  return {
    key,
    sender: pending.sender,
    ref: key === null ? null : pending.ref,
    ref_bits: key === null ? null : pending.ref_bits,
    total: pending.total,
    received,
    missing,
    partial,
    encoding: first?.encoding ?? null,
    text: parts.every((part) => part.text !== null) ? parts.map((part) => part.text).join('') : null,
    data_hex: parts.every((part) => part.data_hex !== null) ? parts.map((part) => part.data_hex).join('') : null,
    timestamp: first?.timestamp ?? null,
    first_received_at: pending.first_received_at,
    tags: parts.map((part) => part.tag),
  };
}

/**
 * Adds one decoded SMS. A single-part SMS comes straight back as a complete message (state unchanged); a part of
 * a concatenated SMS is held until its siblings arrive.
 */
export function addPart(state: ReassemblyState, sms: DecodedSms, options: AddPartOptions): AddPartResult {
  const sender = options.sender ?? senderOf(sms);
  const part: StoredPart = {
    encoding: sms.encoding,
    text: sms.text,
    data_hex: sms.data_hex,
    timestamp: sms.type === 'SMS-SUBMIT' ? null : sms.timestamp,
    received_at: options.now,
    tag: options.tag ?? null,
  };
  const concat = sms.concat;
  if (!concat || concat.total === 1) {
    const single: PendingMessage = {
      sender,
      ref: concat?.ref ?? 0,
      total: 1,
      ref_bits: concat?.ref_bits ?? 8,
      first_received_at: options.now,
      parts: { 1: part },
    };
    return { state, message: assemble(single, null, false), duplicate: false };
  }
  const key = reassemblyKey(sender, concat.ref, concat.total, concat.ref_bits);
  const seq = String(concat.seq);
  const recent = state.recent[key];
  if (recent && recent.parts[seq] === fingerprint(part)) return { state, message: null, duplicate: true };
  const existing = state.pending[key];
  if (existing?.parts[seq]) return { state, message: null, duplicate: true };
  const pending: PendingMessage = existing
    ? { ...existing, parts: { ...existing.parts, [seq]: part } }
    : {
        sender,
        ref: concat.ref,
        total: concat.total,
        ref_bits: concat.ref_bits,
        first_received_at: options.now,
        parts: { [seq]: part },
      };
  const { [key]: _done, ...others } = state.pending;
  if (Object.keys(pending.parts).length < pending.total) {
    return { state: { ...state, pending: { ...others, [key]: pending } }, message: null, duplicate: false };
  }
  const fingerprints: Record<string, string> = {};
  for (const [partSeq, stored] of Object.entries(pending.parts)) fingerprints[partSeq] = fingerprint(stored);
  return {
    state: {
      ...state,
      pending: others,
      recent: { ...state.recent, [key]: { completed_at: options.now, parts: fingerprints } },
    },
    message: assemble(pending, key, false),
    duplicate: false,
  };
}

/**
 * Takes out every message still incomplete `timeoutMs` after its first part arrived, flagged `partial`, and forgets
 * completed-message fingerprints older than the timeout.
 */
export function expireParts(
  state: ReassemblyState,
  options: { now: number; timeoutMs: number },
): { state: ReassemblyState; messages: AssembledMessage[] } {
  const pending: Record<string, PendingMessage> = {};
  const messages: AssembledMessage[] = [];
  for (const [key, entry] of Object.entries(state.pending)) {
    if (options.now - entry.first_received_at >= options.timeoutMs) messages.push(assemble(entry, key, true));
    else pending[key] = entry;
  }
  const recent: Record<string, RecentMessage> = {};
  for (const [key, entry] of Object.entries(state.recent)) {
    if (options.now - entry.completed_at < options.timeoutMs) recent[key] = entry;
  }
  messages.sort((a, b) => a.first_received_at - b.first_received_at);
  return { state: { version: 1, pending, recent }, messages };
}
