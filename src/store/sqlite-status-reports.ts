import type Database from 'better-sqlite3';
import type { ReplyEntry, ReplyError, ReplyState, StatusReportInput } from './journal.js';
import type { ReplyPartRow } from './rows.js';

/**
 * Matching SMS-STATUS-REPORTs to reply parts by TP-Message-Reference (TS 23.040 §9.2.3.6), with the two races a
 * real modem produces handled durably:
 *
 * - a report for part 1 arrives while part 2 is still being sent (`sending`): it is recorded on the part, and the
 *   reply's final state is settled when it is marked sent;
 * - a report arrives before the bridge committed the part's reference (the +CDS URC can be handled before the
 *   +CMGS answer's continuation runs): it is kept as unmatched and claimed by the part that gets that reference
 *   within ORPHAN_WINDOW_MS. References wrap at 256, so older unmatched reports are never applied.
 */
const ORPHAN_WINDOW_MS = 120_000;

const DEFAULT_FAILURE: ReplyError = { code: 'status_report', message: 'the network reported the reply undeliverable' };

/** What the matcher needs from the outbox: guarded state changes that write command/status events. */
export interface OutboxTransitions {
  change(id: string, from: ReplyState[], to: ReplyState): ReplyEntry;
  markFailed(id: string, error: ReplyError): ReplyEntry;
  get(id: string): ReplyEntry | null;
}

interface PartMatch {
  id: string;
  rowid_: number;
  part_index: number;
  state: ReplyState;
}

export class StatusReportMatcher {
  constructor(
    private readonly q: (sql: string) => Database.Statement,
    private readonly now: () => number,
    private readonly outbox: OutboxTransitions,
  ) {}

  /** Runs inside the caller's transaction. Null: no part has this reference yet (kept as unmatched). */
  apply(report: StatusReportInput): ReplyEntry | null {
    const match = this.q(
      `SELECT o.id AS id, o.rowid_ AS rowid_, rp.part_index AS part_index, o.state AS state FROM reply_parts rp
       JOIN outbox o ON o.rowid_ = rp.reply_rowid
       WHERE rp.message_reference = ? AND o.state IN ('sending', 'sent')
       ORDER BY rp.sent_at DESC, o.rowid_ DESC LIMIT 1`,
    ).get(report.message_reference) as PartMatch | undefined;
    if (match) return this.applyToPart(match, report.outcome, report.error ?? null);
    this.q('DELETE FROM unmatched_reports WHERE at < ?').run(this.now() - ORPHAN_WINDOW_MS);
    if (report.outcome !== 'pending') {
      this.q(
        'INSERT INTO unmatched_reports (message_reference, outcome, error_code, error_message, at) VALUES (?, ?, ?, ?, ?)',
      ).run(
        report.message_reference,
        report.outcome,
        report.error?.code ?? null,
        report.error?.message ?? null,
        this.now(),
      );
    }
    return null;
  }

  /** Runs inside recordPartSent's transaction, right after the part got its reference. */
  claimUnmatched(match: PartMatch, messageReference: number): void {
    const orphan = this.q(
      `SELECT * FROM unmatched_reports WHERE message_reference = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT 1`,
    ).get(messageReference, this.now() - ORPHAN_WINDOW_MS) as
      | { id: number; outcome: 'delivered' | 'failed'; error_code: string | null; error_message: string | null }
      | undefined;
    if (!orphan) return;
    this.q('DELETE FROM unmatched_reports WHERE id = ?').run(orphan.id);
    const error = orphan.error_code === null ? null : { code: orphan.error_code, message: orphan.error_message ?? '' };
    this.applyToPart(match, orphan.outcome, error);
  }

  /** After sending → sent: a part already reported failed fails the reply; all parts delivered deliver it. */
  settleSent(id: string, rowid: number): ReplyEntry {
    const parts = this.q('SELECT * FROM reply_parts WHERE reply_rowid = ? ORDER BY part_index').all(
      rowid,
    ) as ReplyPartRow[];
    const failed = parts.find((part) => part.failed_code !== null);
    if (failed) return this.outbox.markFailed(id, { code: failed.failed_code!, message: failed.failed_message ?? '' });
    const entry = this.outbox.get(id)!;
    return entry.delivered_parts.every(Boolean) ? this.outbox.change(id, ['sent'], 'delivered') : entry;
  }

  private applyToPart(match: PartMatch, outcome: StatusReportInput['outcome'], error: ReplyError | null): ReplyEntry {
    if (outcome === 'failed') {
      if (match.state === 'sent') return this.outbox.markFailed(match.id, error ?? DEFAULT_FAILURE);
      // Still sending other parts: remember it; markSent settles the reply as failed.
      const failure = error ?? DEFAULT_FAILURE;
      this.q('UPDATE reply_parts SET failed_code = ?, failed_message = ? WHERE reply_rowid = ? AND part_index = ?').run(
        failure.code,
        failure.message,
        match.rowid_,
        match.part_index,
      );
      return this.outbox.get(match.id)!;
    }
    if (outcome === 'delivered') {
      this.q('UPDATE reply_parts SET delivered_at = ? WHERE reply_rowid = ? AND part_index = ?').run(
        this.now(),
        match.rowid_,
        match.part_index,
      );
      const entry = this.outbox.get(match.id)!;
      if (match.state === 'sent' && entry.delivered_parts.every(Boolean)) {
        return this.outbox.change(match.id, ['sent'], 'delivered');
      }
      return entry;
    }
    return this.outbox.get(match.id)!;
  }
}
