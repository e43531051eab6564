import type Database from 'better-sqlite3';
import { JournalError } from './errors.js';
import type {
  InterruptedPolicy,
  Recorded,
  ReplyEntry,
  ReplyError,
  ReplyInput,
  ReplyProgress,
  ReplyState,
  StatusEvent,
  StatusReportInput,
  Transport,
} from './journal.js';
import {
  type OutboxRow,
  type ReplyPartRow,
  replyEntry,
  type StatusRow,
  statusEvent,
  UNKNOWN_REFERENCE,
} from './rows.js';
import { StatusReportMatcher } from './sqlite-status-reports.js';
import { statementCache } from './statements.js';

const MAX_TEXT = 1024 * 1024;

/** The outbox half of the SQLite journal: replies, their parts' message references, and command/status events. */
export class SqliteOutbox {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {
    this.q = statementCache(db);
    this.reports = new StatusReportMatcher(this.q, now, this);
  }

  private readonly reports: StatusReportMatcher;

  private readonly q: (sql: string) => Database.Statement;

  enqueue(input: ReplyInput): Recorded<ReplyEntry> {
    validateReply(input);
    return this.db
      .transaction((): Recorded<ReplyEntry> => {
        if (input.dedupe_key != null) {
          const existing = this.rowBy('dedupe_key', input.dedupe_key);
          if (existing) return { entry: this.entryOf(existing), created: false };
        }
        const at = this.now();
        const id = this.newId();
        this.q(
          `INSERT INTO outbox (id, dedupe_key, transaction_, destination, mode, body, parts, state, attempts,
               next_attempt_at, accepted_at, updated_at, transport) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
        ).run(
          id,
          input.dedupe_key ?? null,
          input.transaction,
          input.destination,
          input.mode,
          input.body,
          input.parts,
          at,
          at,
          at,
          transportOf(input.transport),
        );
        const row = this.rowBy('id', id)!;
        this.addEvent(row, 'queued', null, at);
        return { entry: this.entryOf(row), created: true };
      })
      .immediate();
  }

  get(id: string): ReplyEntry | null {
    const row = this.rowBy('id', id);
    return row ? this.entryOf(row) : null;
  }

  nextDue(now: number, transport: Transport = 'sms'): ReplyEntry | null {
    const row = this.q(
      `SELECT * FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? AND transport = ?
         ORDER BY next_attempt_at, rowid_ LIMIT 1`,
    ).get(now, transport) as OutboxRow | undefined;
    return row ? this.entryOf(row) : null;
  }

  nextDueAt(transport: Transport = 'sms'): number | null {
    const value = this.q(`SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'queued' AND transport = ?`).get(
      transport,
    ) as {
      at: number | null;
    };
    return value.at;
  }

  markSending(id: string): ReplyEntry {
    return this.change(id, ['queued'], 'sending', (row) => {
      this.q('UPDATE outbox SET attempts = attempts + 1 WHERE rowid_ = ?').run(row.rowid_);
    });
  }

  recordPartSent(id: string, partIndex: number, messageReference: number | null): ReplyEntry {
    validateReference(messageReference);
    return this.db
      .transaction(() => {
        const row = this.require(id);
        if (row.state !== 'sending') {
          throw new JournalError('invalid_state', `reply ${id}: cannot record a sent part while ${row.state}`);
        }
        if (!Number.isInteger(partIndex) || partIndex < 0 || partIndex >= row.parts) {
          throw new JournalError('invalid_input', `part index: expected 0..${row.parts - 1}, got ${partIndex}`);
        }
        this.q(
          `INSERT INTO reply_parts (reply_rowid, part_index, message_reference, sent_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (reply_rowid, part_index) DO UPDATE SET message_reference = excluded.message_reference,
               sent_at = excluded.sent_at, delivered_at = NULL, failed_code = NULL, failed_message = NULL`,
        ).run(row.rowid_, partIndex, messageReference ?? UNKNOWN_REFERENCE, this.now());
        this.touch(row.rowid_);
        if (messageReference !== null) {
          this.reports.claimUnmatched(
            { id, rowid_: row.rowid_, part_index: partIndex, state: 'sending' },
            messageReference,
          );
        }
        return this.entryOf(this.require(id));
      })
      .immediate();
  }

  /** sending → sent, then settled at once when status reports for its parts came in while it was sending. */
  markSent(id: string): ReplyEntry {
    return this.db
      .transaction(() => {
        const sent = this.change(id, ['sending'], 'sent', (row, entry) => {
          const missing = entry.sent_parts.indexOf(false);
          if (missing >= 0) {
            throw new JournalError('invalid_state', `reply ${id}: part ${missing + 1} of ${row.parts} is not sent`);
          }
        });
        return this.reports.settleSent(sent.id, this.require(id).rowid_);
      })
      .immediate();
  }

  scheduleRetry(id: string, nextAttemptAt: number, error: ReplyError): ReplyEntry {
    return this.change(id, ['sending'], 'queued', (row) => {
      this.q('UPDATE outbox SET next_attempt_at = ?, error_code = ?, error_message = ? WHERE rowid_ = ?').run(
        nextAttemptAt,
        error.code,
        error.message,
        row.rowid_,
      );
    });
  }

  markFailed(id: string, error: ReplyError): ReplyEntry {
    return this.change(id, ['queued', 'sending', 'sent'], 'failed', (row) => {
      this.q('UPDATE outbox SET error_code = ?, error_message = ? WHERE rowid_ = ?').run(
        error.code,
        error.message,
        row.rowid_,
      );
    });
  }

  /**
   * One send attempt's outcome in one transaction (Journal.advanceReply). Applied a second time it finds the part
   * recorded and the reply where the first one left it, and changes nothing.
   */
  advance(id: string, progress: ReplyProgress): ReplyEntry {
    const part = progress.sent_part;
    if (part) validateReference(part.message_reference);
    return this.db
      .transaction((): ReplyEntry => {
        const row = this.require(id);
        const entry = this.entryOf(row);
        const partRecorded = part === undefined || entry.sent_parts[part.index] === true;
        if (row.state !== 'sending') {
          if (partRecorded && reachedBy(progress.next.state, row.state)) return entry;
          throw new JournalError('invalid_state', `reply ${id}: cannot record a send attempt while ${row.state}`);
        }
        if (!partRecorded) this.recordPartSent(id, part.index, part.message_reference);
        const next = progress.next;
        switch (next.state) {
          case 'sending':
            return this.entryOf(this.require(id));
          case 'sent':
            return this.markSent(id);
          case 'queued':
            return this.scheduleRetry(id, next.at, next.error);
          case 'failed':
            return this.markFailed(id, next.error);
        }
      })
      .immediate();
  }

  applyStatusReport(report: StatusReportInput): ReplyEntry | null {
    return this.db.transaction(() => this.reports.apply(report)).immediate();
  }

  recoverInterrupted(policy: InterruptedPolicy): ReplyEntry[] {
    return this.db
      .transaction(() => {
        const rows = this.q(`SELECT * FROM outbox WHERE state = 'sending' ORDER BY rowid_`).all() as OutboxRow[];
        return rows.map((row) => {
          if (policy === 'retry') {
            return this.change(row.id, ['sending'], 'queued', () => {
              this.q('UPDATE outbox SET next_attempt_at = ? WHERE rowid_ = ?').run(this.now(), row.rowid_);
            });
          }
          return this.markFailed(row.id, {
            code: 'interrupted',
            message:
              'the bridge stopped while the modem was sending this reply; it may or may not have been sent, ' +
              'and it is not resent automatically to avoid a duplicate SMS',
          });
        });
      })
      .immediate();
  }

  repeatStatus(id: string): StatusEvent | null {
    return this.db
      .transaction((): StatusEvent | null => {
        const row = this.rowBy('id', id);
        if (!row) return null;
        // Newest first by rowid, stopping at the first match: the reply's latest event is usually among the last few.
        const latest = this.q('SELECT * FROM status_events WHERE reply_id = ? ORDER BY seq DESC LIMIT 1').get(id) as
          | StatusRow
          | undefined;
        let seq: number | bigint;
        if (latest) {
          seq = this.q(
            `INSERT INTO status_events (reply_id, transaction_, status, message_reference, error_code, error_message,
               at, repeated) SELECT reply_id, transaction_, status, message_reference, error_code, error_message, at, 1
               FROM status_events WHERE seq = ?`,
          ).run(latest.seq).lastInsertRowid;
        } else {
          // Its events were pruned (retention): say where the reply stands now.
          const entry = this.entryOf(row);
          const status = row.state === 'sending' ? 'queued' : row.state;
          seq = this.q(
            `INSERT INTO status_events (reply_id, transaction_, status, message_reference, error_code, error_message,
               at, repeated) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
          ).run(
            row.id,
            row.transaction_,
            status,
            status === 'queued' ? null : (entry.message_references[0] ?? null),
            status === 'failed' ? row.error_code : null,
            status === 'failed' ? row.error_message : null,
            row.updated_at,
          ).lastInsertRowid;
        }
        return statusEvent(this.q('SELECT * FROM status_events WHERE seq = ?').get(seq) as StatusRow);
      })
      .immediate();
  }

  listUnpublishedStatus(limit: number): StatusEvent[] {
    const rows = this.q('SELECT * FROM status_events WHERE published_at IS NULL ORDER BY seq LIMIT ?').all(
      limit,
    ) as StatusRow[];
    return rows.map(statusEvent);
  }

  markStatusPublished(seq: number): void {
    const result = this.q('UPDATE status_events SET published_at = COALESCE(published_at, ?) WHERE seq = ?').run(
      this.now(),
      seq,
    );
    if (result.changes === 0) throw new JournalError('not_found', `status event ${seq}: not in the journal`);
  }

  entryOf(row: OutboxRow): ReplyEntry {
    const parts = this.q(
      'SELECT part_index, message_reference, delivered_at FROM reply_parts WHERE reply_rowid = ?',
    ).all(row.rowid_) as ReplyPartRow[];
    return replyEntry(row, parts);
  }

  private rowBy(column: 'id' | 'dedupe_key', value: string): OutboxRow | undefined {
    return this.q(`SELECT * FROM outbox WHERE ${column} = ?`).get(value) as OutboxRow | undefined;
  }

  private require(id: string): OutboxRow {
    const row = this.rowBy('id', id);
    if (!row) throw new JournalError('not_found', `reply ${id}: not in the journal`);
    return row;
  }

  private touch(rowid: number): void {
    this.q('UPDATE outbox SET updated_at = ? WHERE rowid_ = ?').run(this.now(), rowid);
  }

  /** One guarded state change in one transaction, with its command/status event when the new state has one. */
  change(
    id: string,
    from: ReplyState[],
    to: ReplyState,
    extra?: (row: OutboxRow, entry: ReplyEntry) => void,
  ): ReplyEntry {
    return this.db
      .transaction(() => {
        const row = this.require(id);
        if (!from.includes(row.state)) {
          throw new JournalError('invalid_state', `reply ${id}: cannot go from ${row.state} to ${to}`);
        }
        extra?.(row, this.entryOf(row));
        const at = this.now();
        this.q('UPDATE outbox SET state = ?, updated_at = ? WHERE rowid_ = ?').run(to, at, row.rowid_);
        const updated = this.require(id);
        if (to === 'sent' || to === 'delivered' || to === 'failed')
          this.addEvent(updated, to, this.entryOf(updated), at);
        return this.entryOf(updated);
      })
      .immediate();
  }

  private addEvent(row: OutboxRow, status: StatusEvent['status'], entry: ReplyEntry | null, at: number): void {
    const mr = entry?.message_references[0] ?? null;
    this.q(
      `INSERT INTO status_events (reply_id, transaction_, status, message_reference, error_code, error_message, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      row.id,
      row.transaction_,
      status,
      mr,
      status === 'failed' ? row.error_code : null,
      status === 'failed' ? row.error_message : null,
      at,
    );
  }
}

/**
 * Whether a reply found in `state` is where an advance to `target` left it: a sent reply may have settled at once to
 * delivered or failed (status reports that came while it was sending).
 */
function reachedBy(target: ReplyProgress['next']['state'], state: ReplyState): boolean {
  if (target === 'sent') return state === 'sent' || state === 'delivered' || state === 'failed';
  return state === target;
}

function validateReference(messageReference: number | null): void {
  if (
    messageReference !== null &&
    (!Number.isInteger(messageReference) || messageReference < 0 || messageReference > 255)
  ) {
    throw new JournalError(
      'invalid_input',
      `message_reference: expected an integer 0..255 or null (none given), got ${messageReference}`,
    );
  }
}

/** A transport from the caller, checked: anything but `ip` is a programming error unless it is `sms` or absent. */
export function transportOf(transport: Transport | undefined): Transport {
  if (transport === undefined || transport === 'sms' || transport === 'ip') return transport ?? 'sms';
  throw new JournalError('invalid_input', `transport: expected "sms" or "ip", got ${JSON.stringify(transport)}`);
}

function validateReply(input: ReplyInput): void {
  if (input.mode !== 'text' && input.mode !== 'binary') {
    throw new JournalError('invalid_input', `mode: expected "text" or "binary", got ${JSON.stringify(input.mode)}`);
  }
  if (!Number.isInteger(input.parts) || input.parts < 1) {
    throw new JournalError('invalid_input', `parts: expected an integer ≥ 1, got ${input.parts}`);
  }
  if (typeof input.body !== 'string' || input.body.length > MAX_TEXT) {
    throw new JournalError('invalid_input', 'body: expected a string of at most 1 MiB');
  }
  if (typeof input.destination !== 'string' || input.destination.length === 0) {
    throw new JournalError('invalid_input', 'destination: expected a non-empty string');
  }
}
