/**
 * The durable journal's contract (ARCHITECTURE.md, invariants 1 and 2). Every implementation must pass the contract
 * suite in test/store/journal.contract.ts.
 *
 * The interface is synchronous on purpose: the SQLite implementation (better-sqlite3) commits in the calling tick, so
 * "the method returned" means "the record is on disk" (fsync'ed). Callers delete an SMS from the modem, or PUBACK an
 * MQTT publish, only after the method returned. Times are milliseconds since the epoch, taken from the injected clock.
 *
 * Records are snake_case like the JSON payloads they end up in.
 */

// ── Inbox: SMS / commands from the modem ────────────────────────────────────────────────────────────────────────

/** `command`: published on command/received. `rejected`: an SMS from a sender outside the allow-list. */
export type InboundKind = 'command' | 'rejected';

/**
 * `received`: committed, waiting for the broker's PUBACK. `published`: PUBACK seen, never published again.
 * `kept`: history only, never published (a rejected SMS while `commands.publish_rejected` is off).
 */
export type InboundState = 'received' | 'published' | 'kept';

/** How a command arrived or a reply leaves: as SMS through the modem, or as a Super SIM IP Command over UDP. */
export type Transport = 'sms' | 'ip';

export interface InboundInput {
  /** Dedupe key, stable across re-reads of the same SMS: for commands the command `id`. */
  key: string;
  kind: InboundKind;
  /** The originating address as the modem reported it. */
  sender: string;
  /** The exact JSON text to publish, so a re-publish after a restart is byte-identical. */
  payload: string;
  /** false → stored as `kept` (history only). */
  publish: boolean;
  /** Default `sms`. */
  transport?: Transport;
}

export interface InboundEntry {
  /** Journal order: re-publishing follows it. */
  seq: number;
  key: string;
  kind: InboundKind;
  sender: string;
  payload: string;
  state: InboundState;
  received_at: number;
  published_at: number | null;
  transport: Transport;
}

/** The result of an idempotent insert: `created` is false when the key was already there (the existing row is returned). */
export interface Recorded<T> {
  entry: T;
  created: boolean;
}

// ── Multipart parts ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * One part of a concatenated SMS, kept until its message is complete or timed out. The journal does not reassemble:
 * the caller chooses the keys (src/commands offers `multipartKeys`) and stores what it needs to rebuild the part in
 * `payload` (e.g. the decoded SMS as JSON). Parts are kept after use (`consumed_by` set) so that a part the modem hands
 * over again after its message was published is recognised as a duplicate instead of starting a new message.
 */
export interface PartInput {
  /** Unique per received part: sender, reference, total, sequence, SCTS and content digest. */
  part_key: string;
  /** Shared by the parts of one message: sender, reference width, reference and total. */
  group_key: string;
  /** 1-based sequence number from the UDH. */
  seq: number;
  payload: string;
}

export interface PartEntry extends PartInput {
  id: number;
  received_at: number;
  /** The inbox key of the message this part went into; null while pending. */
  consumed_by: string | null;
}

export interface PendingGroup {
  group_key: string;
  parts: number;
  first_received_at: number;
}

// ── Outbox: replies from MQTT to the modem ──────────────────────────────────────────────────────────────────────

export type ReplyMode = 'text' | 'binary';

/** queued → sending → sent → delivered, or failed from any non-final state; sending → queued for a retry. */
export type ReplyState = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export interface ReplyError {
  /** The modem's code (e.g. "cms_500"), or one of ours ("interrupted", "max_attempts", "status_report"). */
  code: string;
  message: string;
}

export interface ReplyInput {
  /** Optional idempotency key: enqueuing a key again returns the existing reply instead of sending twice. */
  dedupe_key?: string | null;
  transaction: string | null;
  /** The short code (or number) to send to. */
  destination: string;
  mode: ReplyMode;
  /** Text, or base64 for binary. */
  body: string;
  /** Number of SMS parts the body needs (≥ 1; 1 for an IP reply, which is one datagram). */
  parts: number;
  /** Default `sms`. An `ip` reply's destination is the `address:port` it is sent to. */
  transport?: Transport;
}

export interface ReplyEntry {
  /** Stable identifier (a UUID), used as `id` on command/status. */
  id: string;
  dedupe_key: string | null;
  transaction: string | null;
  destination: string;
  mode: ReplyMode;
  body: string;
  parts: number;
  state: ReplyState;
  /** Send attempts started (markSending calls). */
  attempts: number;
  next_attempt_at: number;
  accepted_at: number;
  updated_at: number;
  /**
   * Per part (index 0 = part 1): the TP-Message-Reference from +CMGS, or null while that part is not sent — or when it
   * was sent but the modem answered OK without a `+CMGS: <mr>` line (then `sent_parts` says it went out).
   */
  message_references: (number | null)[];
  /** Per part: the modem accepted it (+CMGS answered OK). A sent part is never handed to the modem again. */
  sent_parts: boolean[];
  /** Per part: a status report said delivered. */
  delivered_parts: boolean[];
  /** The last error: the final one when `failed`, the last transient one while retrying. */
  error: ReplyError | null;
  transport: Transport;
}

/** A status report (SMS-STATUS-REPORT) reduced to what the journal needs. */
export interface StatusReportInput {
  message_reference: number;
  /** delivered: TP-Status 0x00–0x1F. pending: 0x20–0x3F (SC still trying). failed: 0x40 and above. */
  outcome: 'delivered' | 'pending' | 'failed';
  error?: ReplyError | null;
}

/** What happens at startup to a reply that was `sending` when the process died (see recoverInterrupted). */
export type InterruptedPolicy = 'fail' | 'retry';

/** What one send attempt of a reply came to, as `advanceReply` records it. */
export interface ReplyProgress {
  /** The part the modem took (+CMGS answered OK), with its reference (null: OK without `+CMGS: <mr>`). */
  sent_part?: { index: number; message_reference: number | null };
  /** Where the reply goes: stays `sending` (more parts follow), `sent`, back to `queued` for `at`, or `failed`. */
  next:
    | { state: 'sending' }
    | { state: 'sent' }
    | { state: 'queued'; at: number; error: ReplyError }
    | { state: 'failed'; error: ReplyError };
}

/** One outcome to publish on command/status; kept until the broker acknowledged it. */
export interface StatusEvent {
  seq: number;
  reply_id: string;
  transaction: string | null;
  status: 'queued' | 'sent' | 'delivered' | 'failed';
  /** The first part's reference (the command/status payload has one); all of them are on the reply. */
  message_reference: number | null;
  error: ReplyError | null;
  at: number;
  /** A copy of an earlier event, added by repeatStatus: published again, but not a new outcome (metrics skip it). */
  repeated: boolean;
}

// ── History and health ──────────────────────────────────────────────────────────────────────────────────────────

export interface HistoryQuery {
  /** Newest first; default 50, at most 1000. */
  limit?: number;
  /** Only entries strictly older than this time (for paging). */
  before?: number;
  direction?: 'inbound' | 'outbound';
}

export type HistoryItem =
  | { direction: 'inbound'; at: number; entry: InboundEntry }
  | { direction: 'outbound'; at: number; entry: ReplyEntry };

export interface JournalCounts {
  inbox_unpublished: number;
  parts_pending: number;
  outbox_queued: number;
  outbox_sending: number;
  outbox_sent: number;
  status_unpublished: number;
}

export interface PruneResult {
  inbox: number;
  parts: number;
  outbox: number;
  status_events: number;
}

/** Disk use of the journal (bridge/info, `m2m-bridge status`, metrics, retention). */
export interface StorageUsage {
  /** The main file's size on disk. */
  db_bytes: number;
  /** The write-ahead log's size on disk (0 when there is none). */
  wal_bytes: number;
  /** db_bytes + wal_bytes: what the journal takes on the card. */
  total_bytes: number;
  /** Pages holding data (what retention's size cap is measured against). */
  used_bytes: number;
  /** Free pages inside the file, not yet returned to the file system. */
  free_bytes: number;
  /** Whether free pages can be returned to the file system (files created since incremental auto-vacuum). */
  incremental_vacuum: boolean;
}

export interface Journal {
  // inbox
  /** Commits an inbound record; idempotent on `key` (the existing row comes back with created=false). */
  recordInbound(input: InboundInput): Recorded<InboundEntry>;
  getInbound(key: string): InboundEntry | null;
  /** Records in state `received`, in journal order, for (re-)publishing. */
  listUnpublished(limit?: number): InboundEntry[];
  /** Call on PUBACK only. Idempotent; throws JournalError('not_found') for an unknown key. */
  markPublished(key: string): InboundEntry;

  // multipart
  recordPart(input: PartInput): Recorded<PartEntry>;
  /** Unconsumed parts of one message, by sequence number then arrival. */
  pendingParts(groupKey: string): PartEntry[];
  /** Messages with pending parts, oldest first (for the multipart timeout). */
  pendingGroups(): PendingGroup[];
  /**
   * In one transaction: records the assembled (or partial, after the timeout) message and marks the given parts
   * consumed by it. Parts already consumed are left alone. Idempotent on `inbound.key`.
   */
  completeParts(partIds: number[], inbound: InboundInput): Recorded<InboundEntry>;

  // outbox
  /** Commits a reply (call before the MQTT PUBACK); idempotent on `dedupe_key` when given. Adds a `queued` event. */
  enqueueReply(input: ReplyInput): Recorded<ReplyEntry>;
  getReply(id: string): ReplyEntry | null;
  /** The oldest `queued` reply on `transport` (default sms) whose next attempt is due at `now`, or null. */
  nextDueReply(now: number, transport?: Transport): ReplyEntry | null;
  /** When the earliest `queued` reply on `transport` (default sms) becomes due, or null when none is queued. */
  nextReplyDueAt(transport?: Transport): number | null;
  /** queued → sending; counts an attempt. Call right before handing the first unsent part to the modem. */
  markSending(id: string): ReplyEntry;
  /**
   * Records one part as sent as soon as +CMGS answered OK (0-based part index), with its message reference, or null
   * when the modem gave none (the part is sent all the same; no status report can be matched to it, so the reply can
   * reach `sent` but never `delivered`).
   */
  recordPartSent(id: string, partIndex: number, messageReference: number | null): ReplyEntry;
  /** sending → sent (every part recorded sent). Adds a `sent` event, then `delivered`/`failed` if reports came first. */
  markSent(id: string): ReplyEntry;
  /** sending → queued with a later attempt time; parts already sent stay sent and are not resent. */
  scheduleRetry(id: string, nextAttemptAt: number, error: ReplyError): ReplyEntry;
  /** queued | sending | sent → failed. Adds a `failed` event. */
  markFailed(id: string, error: ReplyError): ReplyEntry;
  /**
   * Records what one send attempt of a `sending` reply came to — the part handed to the modem, if any, and where the
   * reply goes next — in one transaction, with the events the other calls would add. Idempotent: applied again after
   * it stuck (the sender retries a write it could not tell had failed) it changes nothing and returns the entry; a
   * reply that meanwhile went elsewhere is an `invalid_state` error.
   */
  advanceReply(id: string, progress: ReplyProgress): ReplyEntry;
  /**
   * Matches the most recently sent part with this reference among `sending` and `sent` replies. Delivered on every
   * part → `delivered`; failed → `failed` (settled by markSent when the reply is still sending). Null when no part has
   * the reference yet: the report is kept and applied if a part gets that reference within two minutes (the +CDS can
   * be handled before the +CMGS answer was recorded).
   */
  applyStatusReport(report: StatusReportInput): ReplyEntry | null;
  /** At startup: every reply left `sending` becomes failed ('interrupted') or queued again, per policy. */
  recoverInterrupted(policy: InterruptedPolicy): ReplyEntry[];

  // command/status events
  /**
   * Adds a copy of the reply's latest command/status event (marked `repeated`) to publish again: a duplicate
   * `command/send` (same transaction, mode and body) is answered with where the reply it duplicates stands. When that
   * event was pruned, the copy is built from the reply's state. Null when the reply itself is not in the journal.
   */
  repeatStatus(id: string): StatusEvent | null;
  listUnpublishedStatus(limit?: number): StatusEvent[];
  markStatusPublished(seq: number): void;

  // history, health, housekeeping
  history(query?: HistoryQuery): HistoryItem[];
  counts(): JournalCounts;
  /**
   * One small retention step: deletes at most `limit` of the oldest finished records per table older than `olderThan`
   * (also `sent` replies, whose delivery report no longer matters then). Never a command not yet published, a reply
   * queued or sending, or a status not yet published.
   */
  pruneBatch(olderThan: number, limit: number): PruneResult;
  storageUsage(): StorageUsage;
  /** Returns up to `maxPages` free pages to the file system; resolves to the pages released. */
  compact(maxPages: number): number;
  close(): void;
}
