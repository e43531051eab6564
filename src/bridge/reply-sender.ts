import type { Logger } from 'pino';
import { type Journal, JournalError, type ReplyEntry, type ReplyError, type ReplyProgress } from '../store/index.js';
import { type Clock, type TimerHandle, unrefTimer } from '../util/clock.js';
import { SendFailure } from './send-failure.js';

/** One encoded SMS-SUBMIT part, as AT+CMGS takes it (src/sms `EncodedPart`). */
export interface OutgoingPart {
  pdu: string;
  tpdu_length: number;
}

/** What the sender needs of the modem. */
export interface SmsTransmitter {
  /**
   * Sends one part; resolves once the modem answered OK, with the TP-Message-Reference it returned (+CMGS: <mr>), or
   * null when the OK came without one (the part may have gone out: it is never handed over again). Rejects with a
   * SendFailure (anything else counts as transient and not sent).
   */
  sendPart(part: OutgoingPart): Promise<number | null>;
}

interface ReplySenderOptions {
  journal: Journal;
  transmitter: SmsTransmitter;
  /** Encodes a journaled reply into parts, the same way every time (the concatenation reference derives from the id). */
  encode(reply: ReplyEntry): OutgoingPart[];
  /** Time and the retry timer. */
  clock: Clock;
  logger: Logger;
  /** Attempts before a transiently failing reply is given up; default 5. */
  maxAttempts?: number;
  retry?: { minMs: number; maxMs: number };
  /** Called after every journal change that produced a command/status event. */
  onStatus(): void;
  /**
   * The journal could not be written (error), or can be again after it could not (null). The sender itself retries
   * after `retry.minMs`; the owner raises and clears an alarm.
   */
  onJournalTrouble?(error: Error | null): void;
  /**
   * Whether the modem can take a send now. While it cannot (initialising, disconnected) replies wait in the journal
   * without spending an attempt, and the owner kicks the sender when the modem is ready again. Default: always.
   */
  canSend?: () => boolean;
}

function errorOf(failure: SendFailure): ReplyError {
  return { code: failure.code === undefined ? 'send_failed' : `cms_${failure.code}`, message: failure.message };
}

/** The loop stopped after a part went out and before the next (the journal write failed): the rest follow later. */
const PARTS_FOLLOW: ReplyError = {
  code: 'journal_write_failed',
  message: 'the journal could not record a sent part in time; the remaining parts follow',
};

/** Journal errors that retrying the same write cannot cure: the reply is gone or already moved on. */
const LASTING_JOURNAL_ERRORS = new Set(['invalid_state', 'invalid_input', 'not_found']);

/**
 * The outbox worker (invariant 2): takes due replies from the journal one at a time and sends their parts through the
 * modem, recording each part as sent as soon as the modem accepted it, so a retry never resends a part that went out.
 * Transient errors (+CMS 500, 512, timeouts before the PDU was written) retry with backoff up to `maxAttempts`;
 * permanent ones (+CMS 304, 305, 330 …) fail at once with the modem's code. A send whose outcome is unknown (the PDU
 * was written, then the modem went silent, the port vanished or the daemon stopped) is reported failed rather than
 * risk a duplicate — FACTS.md: duplicated parts are a top complaint — so every reply is "sent once or reported failed".
 *
 * The journal can fail in the middle (disk full): the outcome of a send that could not be recorded is kept in memory
 * as an owed write — data, one `advanceReply` call, idempotent — and retried, before any other reply is sent, until
 * it sticks. Nothing after a part was handed to the modem ever leads to sending that part again.
 */
export class ReplySender {
  private timer: TimerHandle | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** A journal write that failed after a send: the send's outcome, to record before anything else is sent. */
  private owed: { reply: ReplyEntry; progress: ReplyProgress } | null = null;
  /** The last pass failed on a journal write; the next one that succeeds clears the owner's alarm. */
  private journalFailing = false;
  private readonly maxAttempts: number;
  private readonly retryMin: number;
  private readonly retryMax: number;

  constructor(private readonly options: ReplySenderOptions) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryMin = options.retry?.minMs ?? 5_000;
    this.retryMax = options.retry?.maxMs ?? 300_000;
  }

  /** Wakes the worker (a reply was queued, or the modem became ready). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.work()
      .then(
        () => this.journalWorks(),
        (error: unknown) => this.journalFailed(error),
      )
      .finally(() => {
        this.running = null;
        this.armTimer();
      });
  }

  /** Stops taking new replies; resolves when the send in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    await this.running;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private armTimer(): void {
    if (this.stopped) return;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
    let wait: number | null = null;
    if (this.journalFailing) wait = this.retryMin;
    else if (this.modemCanSend()) {
      // (otherwise the next kick comes when the modem is ready)
      try {
        const due = this.options.journal.nextReplyDueAt();
        wait = due === null ? null : Math.max(0, due - this.options.clock.now());
      } catch (error) {
        this.journalFailed(error);
        wait = this.retryMin;
      }
    }
    if (wait === null) return;
    this.timer = this.options.clock.setTimeout(() => this.kick(), wait);
    unrefTimer(this.timer);
  }

  private journalFailed(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    this.options.logger.error(
      { err, owed: this.owed !== null, retry_in_ms: this.retryMin },
      'reply sender: journal write failed; trying again later (no part is sent twice)',
    );
    this.journalFailing = true;
    this.options.onJournalTrouble?.(err);
  }

  private journalWorks(): void {
    if (!this.journalFailing) return;
    this.journalFailing = false;
    this.options.onJournalTrouble?.(null);
  }

  /**
   * Records a send's outcome; if the write fails it is owed (retried before anything else) and the error ends the
   * pass. A part recorded with more to follow becomes, when owed, a retry for the rest: the loop that would have sent
   * them has stopped.
   */
  private settle(reply: ReplyEntry, progress: ReplyProgress): void {
    let entry: ReplyEntry;
    try {
      entry = this.options.journal.advanceReply(reply.id, progress);
    } catch (error) {
      this.owed = {
        reply,
        progress:
          progress.next.state === 'sending'
            ? { ...progress, next: { state: 'queued', at: this.options.clock.now(), error: PARTS_FOLLOW } }
            : progress,
      };
      throw error;
    }
    this.settled(entry, progress);
  }

  private payOwed(): void {
    const owed = this.owed;
    if (!owed) return;
    try {
      this.settled(this.options.journal.advanceReply(owed.reply.id, owed.progress), owed.progress);
    } catch (error) {
      if (!(error instanceof JournalError && LASTING_JOURNAL_ERRORS.has(error.code))) throw error; // later again
      // The reply moved on meanwhile (or vanished): there is nothing left to record.
      this.options.logger.error(
        { err: error },
        'reply sender: an owed journal write can no longer be applied; dropped',
      );
    }
    this.owed = null;
  }

  /** After a recorded outcome: the log line, and a kick for the status publisher when it added an event. */
  private settled(entry: ReplyEntry, progress: ReplyProgress): void {
    const next = progress.next;
    if (next.state === 'sent') {
      this.options.logger.info({ id: entry.id, transaction: entry.transaction, parts: entry.parts }, 'reply sent');
      this.options.onStatus();
    } else if (next.state === 'failed') {
      this.options.logger.error({ id: entry.id, transaction: entry.transaction, error: next.error }, 'reply failed');
      this.options.onStatus();
    }
  }

  private modemCanSend(): boolean {
    return this.options.canSend ? this.options.canSend() : true;
  }

  private async work(): Promise<void> {
    do {
      this.again = false;
      this.payOwed();
      if (!this.modemCanSend()) return;
      for (
        let reply = this.options.journal.nextDueReply(this.options.clock.now());
        reply && !this.stopped && this.modemCanSend();
        reply = this.options.journal.nextDueReply(this.options.clock.now())
      ) {
        await this.sendOne(reply);
      }
    } while (this.again && !this.stopped);
  }

  private async sendOne(queued: ReplyEntry): Promise<void> {
    // If this write fails nothing was sent and the reply stays queued.
    const reply = this.options.journal.markSending(queued.id);
    let parts: OutgoingPart[];
    try {
      parts = this.options.encode(reply);
    } catch (error) {
      this.settle(reply, {
        next: { state: 'failed', error: { code: 'encode_failed', message: (error as Error).message } },
      });
      return;
    }
    const unsent = parts.map((_, index) => index).filter((index) => !reply.sent_parts[index]);
    // Every part went out on an earlier attempt whose last step was lost: only `sent` is left to record.
    if (unsent.length === 0) this.settle(reply, { next: { state: 'sent' } });
    for (const [n, index] of unsent.entries()) {
      let reference: number | null;
      try {
        reference = await this.options.transmitter.sendPart(parts[index] as OutgoingPart);
      } catch (error) {
        this.settle(reply, this.afterFailure(reply, SendFailure.of(error)));
        return;
      }
      // The part was handed over: from here on nothing may lead to handing it to the modem again.
      const sent_part = { index, message_reference: reference };
      if (reference === null) {
        this.settle(reply, { sent_part, next: { state: 'failed', error: withoutReference(index) } });
        return;
      }
      this.settle(reply, { sent_part, next: n === unsent.length - 1 ? { state: 'sent' } : { state: 'sending' } });
    }
  }

  /** Where a reply goes after a failed part: failed at once, or queued for a retry with backoff. */
  private afterFailure(reply: ReplyEntry, failure: SendFailure): ReplyProgress {
    const error = errorOf(failure);
    if (failure.maybe_sent) {
      return {
        next: {
          state: 'failed',
          error: {
            code: 'outcome_unknown',
            message: `${failure.message} (the SMS may have been sent; not retried to avoid a duplicate)`,
          },
        },
      };
    }
    if (!failure.transient) return { next: { state: 'failed', error } };
    if (reply.attempts >= this.maxAttempts) {
      return {
        next: {
          state: 'failed',
          error: { code: error.code, message: `${error.message} (gave up after ${reply.attempts} attempts)` },
        },
      };
    }
    const delay = Math.min(this.retryMax, this.retryMin * 2 ** Math.max(0, reply.attempts - 1));
    this.options.logger.warn(
      { id: reply.id, attempt: reply.attempts, retry_in_ms: delay, error },
      'reply send failed; will retry',
    );
    return { next: { state: 'queued', at: this.options.clock.now() + delay, error } };
  }
}

/**
 * The modem ended AT+CMGS with OK but no `+CMGS: <mr>`, which is not the answer TS 27.005 §3.5.1 gives for a sent
 * SMS. It is what a stray OK looks like when it is taken for the answer: a late answer to an earlier command, or the
 * modem's answer to an ESC that cancelled the input before the PDU got there (seen under line noise in
 * test/faults/modem-link.test.ts). So the SMS may or may not have left: the part is recorded as handed over (never
 * resent) and the reply is reported failed with outcome_unknown — never `sent` for an SMS that maybe never left,
 * never sent twice.
 */
function withoutReference(index: number): ReplyError {
  return {
    code: 'outcome_unknown',
    message:
      `part ${index + 1}: the modem answered OK without a message reference (+CMGS: <mr>); the SMS may or may not ` +
      'have been sent; not retried to avoid a duplicate',
  };
}
