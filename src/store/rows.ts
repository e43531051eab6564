import type { InboundEntry, PartEntry, ReplyEntry, ReplyError, StatusEvent } from './journal.js';

/** Column shapes as SQLite returns them, and their mapping to the journal's records. */

export interface InboxRow {
  seq: number;
  key: string;
  kind: InboundEntry['kind'];
  sender: string;
  payload: string;
  state: InboundEntry['state'];
  received_at: number;
  published_at: number | null;
  transport: InboundEntry['transport'];
}

export const inboxEntry = (row: InboxRow): InboundEntry => ({ ...row });

export interface PartRow {
  id: number;
  part_key: string;
  group_key: string;
  seq: number;
  payload: string;
  received_at: number;
  consumed_by: string | null;
}

export const partEntry = (row: PartRow): PartEntry => ({ ...row });

export interface OutboxRow {
  rowid_: number;
  id: string;
  dedupe_key: string | null;
  transaction_: string | null;
  destination: string;
  mode: ReplyEntry['mode'];
  body: string;
  parts: number;
  state: ReplyEntry['state'];
  attempts: number;
  next_attempt_at: number;
  accepted_at: number;
  updated_at: number;
  error_code: string | null;
  error_message: string | null;
  transport: ReplyEntry['transport'];
}

/**
 * reply_parts.message_reference of a part the modem accepted without a `+CMGS: <mr>` line. The column is NOT NULL
 * (migration 1) and a status report's TP-MR is 0..255, so -1 never matches one.
 */
export const UNKNOWN_REFERENCE = -1;

export interface ReplyPartRow {
  part_index: number;
  message_reference: number;
  delivered_at: number | null;
  failed_code: string | null;
  failed_message: string | null;
}

function errorOf(code: string | null, message: string | null): ReplyError | null {
  return code === null ? null : { code, message: message ?? '' };
}

export function replyEntry(row: OutboxRow, parts: ReplyPartRow[]): ReplyEntry {
  const message_references: (number | null)[] = new Array(row.parts).fill(null);
  const delivered_parts: boolean[] = new Array(row.parts).fill(false);
  const sent_parts: boolean[] = new Array(row.parts).fill(false);
  for (const part of parts) {
    if (part.part_index < row.parts) {
      message_references[part.part_index] =
        part.message_reference === UNKNOWN_REFERENCE ? null : part.message_reference;
      sent_parts[part.part_index] = true;
      delivered_parts[part.part_index] = part.delivered_at !== null;
    }
  }
  return {
    id: row.id,
    dedupe_key: row.dedupe_key,
    transaction: row.transaction_,
    destination: row.destination,
    mode: row.mode,
    body: row.body,
    parts: row.parts,
    state: row.state,
    attempts: row.attempts,
    next_attempt_at: row.next_attempt_at,
    accepted_at: row.accepted_at,
    updated_at: row.updated_at,
    message_references,
    sent_parts,
    delivered_parts,
    error: errorOf(row.error_code, row.error_message),
    transport: row.transport,
  };
}

export interface StatusRow {
  seq: number;
  reply_id: string;
  transaction_: string | null;
  status: StatusEvent['status'];
  message_reference: number | null;
  error_code: string | null;
  error_message: string | null;
  at: number;
  repeated: number;
}

export const statusEvent = (row: StatusRow): StatusEvent => ({
  seq: row.seq,
  reply_id: row.reply_id,
  transaction: row.transaction_,
  status: row.status,
  message_reference: row.message_reference,
  error: errorOf(row.error_code, row.error_message),
  at: row.at,
  repeated: row.repeated === 1,
});
