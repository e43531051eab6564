import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { JournalError, toJournalError } from './errors.js';
import { claimJournal, type HolderAlive, type JournalHolder } from './holder.js';
import type {
  HistoryItem,
  HistoryQuery,
  InboundEntry,
  InboundInput,
  InterruptedPolicy,
  Journal,
  JournalCounts,
  PartEntry,
  PartInput,
  PendingGroup,
  PruneResult,
  Recorded,
  ReplyEntry,
  ReplyError,
  ReplyInput,
  ReplyProgress,
  StatusEvent,
  StatusReportInput,
  StorageUsage,
  Transport,
} from './journal.js';
import { SqliteRefusedPins } from './refused-pins.js';
import { type InboxRow, inboxEntry, type OutboxRow, type PartRow, partEntry } from './rows.js';
import { compact, pruneBatch, storageUsage } from './sqlite-housekeeping.js';
import { SqliteOutbox, transportOf } from './sqlite-outbox.js';
import { statementCache } from './statements.js';
import { withoutFsync } from './unsynced-commit.js';

export interface SqliteJournalOptions {
  /** The journal file (store.path). Its directory must exist and be writable (the WAL and -shm files live beside it). */
  path: string;
  /** Clock for every timestamp; defaults to Date.now. */
  now?: () => number;
  /** How long to wait for a lock held by another process (e.g. `m2m-bridge history` reading); default 5000 ms. */
  busyTimeoutMs?: number;
  /** Cap on the database file size; writes beyond it fail with JournalError('disk_full'). Default: no cap. */
  maxSizeBytes?: number;
  /** Read-only (for `m2m-bridge history` beside a running daemon): no migrations, no writes. */
  readonly?: boolean;
  /** Reply id generator; defaults to crypto.randomUUID. */
  newId?: () => string;
}

const INBOUND_KINDS = new Set(['command', 'rejected']);

export class SqliteJournal implements Journal {
  private readonly now: () => number;
  private readonly outbox: SqliteOutbox;
  private readonly q: (sql: string) => Database.Statement;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly options: SqliteJournalOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.q = statementCache(db);
    this.outbox = new SqliteOutbox(db, this.now, options.newId ?? randomUUID);
  }

  get path(): string {
    return this.options.path;
  }

  /** Claims the journal for this daemon, or returns the live daemon that holds it (holder.ts). */
  claimHolder(me: JournalHolder, alive: HolderAlive): JournalHolder | null {
    return this.guard(() => claimJournal(this.db, me, alive));
  }

  /** The PINs the SIM refused, kept in this journal (refused-pins.ts). */
  refusedPins(): SqliteRefusedPins {
    return new SqliteRefusedPins(this.db, (fn) => this.guard(fn), this.now);
  }

  /** Runs one journal operation, turning SQLite's errors into JournalErrors that name the file. */
  private guard<T>(fn: () => T): T {
    if (this.closed) throw new JournalError('closed', `journal ${this.options.path}: already closed`);
    try {
      return fn();
    } catch (error) {
      throw toJournalError(error, this.options.path);
    }
  }

  // ── inbox ────────────────────────────────────────────────────────────────────────────────────────────────────

  private inboxRow(key: string): InboxRow | undefined {
    return this.q('SELECT * FROM inbox WHERE key = ?').get(key) as InboxRow | undefined;
  }

  private insertInbound(input: InboundInput): Recorded<InboundEntry> {
    if (typeof input.key !== 'string' || input.key.length === 0) {
      throw new JournalError('invalid_input', 'key: expected a non-empty string');
    }
    if (!INBOUND_KINDS.has(input.kind)) {
      throw new JournalError(
        'invalid_input',
        `kind: expected "command" or "rejected", got ${JSON.stringify(input.kind)}`,
      );
    }
    // A re-read of a known message is a read, not a write transaction: nothing reaches the disk.
    const existing = this.inboxRow(input.key);
    if (existing) return { entry: inboxEntry(existing), created: false };
    const result = this.q(
      `INSERT INTO inbox (key, kind, sender, payload, state, received_at, transport) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    ).run(
      input.key,
      input.kind,
      input.sender,
      input.payload,
      input.publish ? 'received' : 'kept',
      this.now(),
      transportOf(input.transport),
    );
    return { entry: inboxEntry(this.inboxRow(input.key)!), created: result.changes === 1 };
  }

  recordInbound(input: InboundInput): Recorded<InboundEntry> {
    return this.guard(() => this.insertInbound(input));
  }

  getInbound(key: string): InboundEntry | null {
    return this.guard(() => {
      const row = this.inboxRow(key);
      return row ? inboxEntry(row) : null;
    });
  }

  listUnpublished(limit = 1000): InboundEntry[] {
    return this.guard(() =>
      (this.q(`SELECT * FROM inbox WHERE state = 'received' ORDER BY seq LIMIT ?`).all(limit) as InboxRow[]).map(
        inboxEntry,
      ),
    );
  }

  markPublished(key: string): InboundEntry {
    return this.guard(() => {
      // No fsync: a lost mark means the command is published again, same id (unsynced-commit.ts).
      const mark = this.q(
        `UPDATE inbox SET state = 'published', published_at = ? WHERE key = ? AND state = 'received'`,
      );
      withoutFsync(this.db, () => mark.run(this.now(), key));
      const row = this.inboxRow(key);
      if (!row) throw new JournalError('not_found', `inbound ${key}: not in the journal`);
      return inboxEntry(row);
    });
  }

  // ── multipart parts ──────────────────────────────────────────────────────────────────────────────────────────

  recordPart(input: PartInput): Recorded<PartEntry> {
    return this.guard(() => {
      if (!Number.isInteger(input.seq) || input.seq < 1 || input.seq > 255) {
        throw new JournalError('invalid_input', `seq: expected an integer 1..255, got ${input.seq}`);
      }
      const seen = this.q('SELECT * FROM parts WHERE part_key = ?').get(input.part_key) as PartRow | undefined;
      if (seen) return { entry: partEntry(seen), created: false };
      const result = this.q(
        `INSERT INTO parts (part_key, group_key, seq, payload, received_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (part_key) DO NOTHING`,
      ).run(input.part_key, input.group_key, input.seq, input.payload, this.now());
      const row = this.q('SELECT * FROM parts WHERE part_key = ?').get(input.part_key) as PartRow;
      return { entry: partEntry(row), created: result.changes === 1 };
    });
  }

  pendingParts(groupKey: string): PartEntry[] {
    return this.guard(() =>
      (
        this.q('SELECT * FROM parts WHERE group_key = ? AND consumed_by IS NULL ORDER BY seq, id').all(
          groupKey,
        ) as PartRow[]
      ).map(partEntry),
    );
  }

  pendingGroups(): PendingGroup[] {
    return this.guard(
      () =>
        this.q(
          `SELECT group_key, COUNT(*) AS parts, MIN(received_at) AS first_received_at FROM parts
           WHERE consumed_by IS NULL GROUP BY group_key ORDER BY first_received_at, group_key`,
        ).all() as PendingGroup[],
    );
  }

  completeParts(partIds: number[], inbound: InboundInput): Recorded<InboundEntry> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          const recorded = this.insertInbound(inbound);
          const consume = this.q(
            'UPDATE parts SET consumed_by = ?, consumed_at = ? WHERE id = ? AND consumed_by IS NULL',
          );
          const at = this.now();
          for (const id of partIds) consume.run(inbound.key, at, id);
          return recorded;
        })
        .immediate(),
    );
  }

  // ── outbox ───────────────────────────────────────────────────────────────────────────────────────────────────

  enqueueReply(input: ReplyInput): Recorded<ReplyEntry> {
    return this.guard(() => this.outbox.enqueue(input));
  }
  getReply(id: string): ReplyEntry | null {
    return this.guard(() => this.outbox.get(id));
  }
  nextDueReply(now: number, transport: Transport = 'sms'): ReplyEntry | null {
    return this.guard(() => this.outbox.nextDue(now, transportOf(transport)));
  }
  nextReplyDueAt(transport: Transport = 'sms'): number | null {
    return this.guard(() => this.outbox.nextDueAt(transportOf(transport)));
  }
  markSending(id: string): ReplyEntry {
    return this.guard(() => this.outbox.markSending(id));
  }
  recordPartSent(id: string, partIndex: number, messageReference: number | null): ReplyEntry {
    return this.guard(() => this.outbox.recordPartSent(id, partIndex, messageReference));
  }
  markSent(id: string): ReplyEntry {
    return this.guard(() => this.outbox.markSent(id));
  }
  scheduleRetry(id: string, nextAttemptAt: number, error: ReplyError): ReplyEntry {
    return this.guard(() => this.outbox.scheduleRetry(id, nextAttemptAt, error));
  }
  markFailed(id: string, error: ReplyError): ReplyEntry {
    return this.guard(() => this.outbox.markFailed(id, error));
  }
  advanceReply(id: string, progress: ReplyProgress): ReplyEntry {
    return this.guard(() => this.outbox.advance(id, progress));
  }
  applyStatusReport(report: StatusReportInput): ReplyEntry | null {
    return this.guard(() => this.outbox.applyStatusReport(report));
  }
  recoverInterrupted(policy: InterruptedPolicy): ReplyEntry[] {
    return this.guard(() => this.outbox.recoverInterrupted(policy));
  }
  repeatStatus(id: string): StatusEvent | null {
    return this.guard(() => this.outbox.repeatStatus(id));
  }
  listUnpublishedStatus(limit = 1000): StatusEvent[] {
    return this.guard(() => this.outbox.listUnpublishedStatus(limit));
  }
  markStatusPublished(seq: number): void {
    this.guard(() => withoutFsync(this.db, () => this.outbox.markStatusPublished(seq)));
  }

  // ── history, health, housekeeping ────────────────────────────────────────────────────────────────────────────

  history(query: HistoryQuery = {}): HistoryItem[] {
    return this.guard(() => {
      const limit = Math.min(Math.max(1, Math.floor(query.limit ?? 50)), 1000);
      const before = query.before ?? Number.MAX_SAFE_INTEGER;
      const items: HistoryItem[] = [];
      if (query.direction !== 'outbound') {
        const rows = this.q('SELECT * FROM inbox WHERE received_at < ? ORDER BY seq DESC LIMIT ?').all(
          before,
          limit,
        ) as InboxRow[];
        for (const row of rows) items.push({ direction: 'inbound', at: row.received_at, entry: inboxEntry(row) });
      }
      if (query.direction !== 'inbound') {
        const rows = this.q(
          'SELECT * FROM outbox WHERE accepted_at < ? ORDER BY accepted_at DESC, rowid_ DESC LIMIT ?',
        ).all(before, limit) as OutboxRow[];
        for (const row of rows)
          items.push({ direction: 'outbound', at: row.accepted_at, entry: this.outbox.entryOf(row) });
      }
      // Stable newest-first merge; ties keep inbound before outbound.
      return items.sort((a, b) => b.at - a.at).slice(0, limit);
    });
  }

  counts(): JournalCounts {
    return this.guard(
      () =>
        this.q(
          `SELECT
             (SELECT COUNT(*) FROM inbox WHERE state = 'received') AS inbox_unpublished,
             (SELECT COUNT(*) FROM parts WHERE consumed_by IS NULL) AS parts_pending,
             (SELECT COUNT(*) FROM outbox WHERE state = 'queued') AS outbox_queued,
             (SELECT COUNT(*) FROM outbox WHERE state = 'sending') AS outbox_sending,
             (SELECT COUNT(*) FROM outbox WHERE state = 'sent') AS outbox_sent,
             (SELECT COUNT(*) FROM status_events WHERE published_at IS NULL) AS status_unpublished`,
        ).get() as JournalCounts,
    );
  }

  pruneBatch(olderThan: number, limit: number): PruneResult {
    return this.guard(() => pruneBatch(this.db, olderThan, limit));
  }

  storageUsage(): StorageUsage {
    return this.guard(() => storageUsage(this.db, this.options.path));
  }

  compact(maxPages: number): number {
    return this.guard(() => compact(this.db, maxPages));
  }

  /** The durability settings in force on this connection (for tests and `m2m-bridge doctor`). */
  settings(): { journal_mode: string; synchronous: 'off' | 'normal' | 'full' | 'extra'; schema_version: number } {
    return this.guard(() => {
      const sync = this.db.pragma('synchronous', { simple: true }) as number;
      return {
        journal_mode: String(this.db.pragma('journal_mode', { simple: true })),
        synchronous: (['off', 'normal', 'full', 'extra'] as const)[sync] ?? 'off',
        schema_version: this.db.pragma('user_version', { simple: true }) as number,
      };
    });
  }

  /** PRAGMA integrity_check; "ok" when the file is sound (for tests and `m2m-bridge doctor`). */
  integrityCheck(): string {
    return this.guard(() =>
      (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '),
    );
  }

  /**
   * PRAGMA quick_check: "ok", or what is damaged. The same check the daemon runs at start (and refuses a journal on),
   * so read-only tools can warn before they show a listing with rows missing.
   */
  quickCheck(): string {
    return this.guard(() =>
      (this.db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('; '),
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
