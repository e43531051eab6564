import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
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
import { type InboxRow, inboxEntry, type OutboxRow, type PartRow, partEntry } from './rows.js';
import { migrate, refuseNewerSchema } from './schema.js';
import { compact, ensureIncrementalVacuum, pruneBatch, storageUsage } from './sqlite-housekeeping.js';
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

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Fails early with a sentence about the directory instead of SQLite's bare "unable to open database file". */
function checkLocation(path: string, readonly: boolean): void {
  const dir = dirname(resolve(path));
  let dirStat: ReturnType<typeof statSync>;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new JournalError('not_writable', `journal ${path}: directory ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new JournalError('not_writable', `journal ${path}: ${dir} is not a directory`);
  try {
    const fileStat = statSync(path);
    if (!fileStat.isFile()) throw new JournalError('not_writable', `journal ${path}: exists but is not a regular file`);
    // A journal file cut short (power loss, a bad SD card) that SQLite would silently take for a new, empty one: under
    // its 100-byte header, or empty beside a WAL holding commits (SQLite deletes such a WAL; a WAL-mode file is never
    // empty, its first page is written when WAL mode is set). Found by test/faults/journal-cut.test.ts.
    if (fileStat.size > 0 && fileStat.size < 100)
      throw new JournalError('corrupt', `journal ${path}: only ${fileStat.size} bytes, cut short (not a journal file)`);
    if (fileStat.size === 0 && sizeOf(`${path}-wal`) > 0)
      throw new JournalError('corrupt', `journal ${path}: empty, but its write-ahead log holds data (file cut short)`);
  } catch (error) {
    if (error instanceof JournalError) throw error;
    if (readonly) throw new JournalError('not_found', `journal ${path}: no such file`);
  }
  if (readonly) return;
  // The directory too: SQLite creates the -wal and -shm files beside the journal.
  for (const [target, what] of [
    [dir, `directory ${dir}`],
    [path, 'the file'],
  ] as const) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new JournalError('not_writable', `journal ${path}: ${what} is not writable by this user`);
    }
  }
}

/** Opens (creating and migrating when needed) the SQLite journal: WAL, synchronous=FULL, foreign keys on. */
export function openSqliteJournal(options: SqliteJournalOptions): SqliteJournal {
  const readonly = options.readonly ?? false;
  checkLocation(options.path, readonly);
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 5000 });
    // Before the pragmas below write to it: a newer build's journal is left exactly as it was (a downgrade).
    refuseNewerSchema(db, options.path);
    if (!readonly) {
      // Before WAL and the first table, or it has no effect: lets retention return space (sqlite-housekeeping.ts).
      // A no-op on a file that already has tables.
      db.pragma('auto_vacuum = INCREMENTAL');
      // WAL: one sequential append + fsync per commit, readers never block the writer. FULL: the WAL is fsynced at
      // every commit, so a committed message survives power loss, not only a process crash (sqlite.org/pragma.html).
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new JournalError('io', `journal ${options.path}: WAL mode refused (got ${String(mode)})`);
      db.pragma('synchronous = FULL');
      // Keeps the -wal file from staying large after a burst (SD cards: less space, same writes).
      db.pragma('journal_size_limit = 4194304');
      if (options.maxSizeBytes !== undefined) {
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
      }
    }
    db.pragma('foreign_keys = ON');
    // 2 MB page cache instead of SQLite's 16 MB default: the working set (unpublished rows, the outbox) is small, and
    // a gateway's RAM is better left to the OS page cache, which serves the same pages (test/bench/rss-commands.bench.ts).
    db.pragma('cache_size = -2048');
    if (!readonly) {
      // A damaged file (pages lost to power loss or a bad card) can open and then read back with rows silently
      // missing; quick_check reads every page once at start, so the daemon refuses it instead of running on it.
      const check = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('; ');
      if (check !== 'ok')
        throw new JournalError('corrupt', `journal ${options.path}: damaged (quick_check: ${check.slice(0, 200)})`);
    }
    migrate(db, options.path, readonly);
    if (!readonly) ensureIncrementalVacuum(db);
    return new SqliteJournal(db, options);
  } catch (error) {
    db?.close();
    throw toJournalError(error, options.path);
  }
}

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
