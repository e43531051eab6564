import type { Logger } from 'pino';
import type { Journal, ReplyEntry, ReplyError } from '../store/index.js';

/** One encoded SMS-SUBMIT part, as AT+CMGS takes it (src/sms `EncodedPart`). */
export interface OutgoingPart {
  pdu: string;
  tpdu_length: number;
}

/** How a send failed, as the modem driver reports it (src/modem `SendError`, by shape). */
export interface SendFailure {
  message: string;
  transient: boolean;
  code?: number;
  /** The PDU may have reached the network (timeout after writing it, port lost): a resend could duplicate it. */
  maybe_sent?: boolean;
}

/** What the sender needs of the modem. */
export interface SmsTransmitter {
  /** Sends one part; resolves with the TP-Message-Reference the modem returned (+CMGS: <mr>). */
  sendPart(part: OutgoingPart): Promise<number>;
}

export interface ReplySenderOptions {
  journal: Journal;
  transmitter: SmsTransmitter;
  /** Encodes a journaled reply into parts, the same way every time (the concatenation reference derives from the id). */
  encode(reply: ReplyEntry): OutgoingPart[];
  now: () => number;
  logger: Logger;
  /** Attempts before a transiently failing reply is given up; default 5. */
  maxAttempts?: number;
  retry?: { minMs: number; maxMs: number };
  /** Called after every journal change that produced a command/status event. */
  onStatus(): void;
  /**
   * Whether the modem can take a send now. While it cannot (initialising, disconnected) replies wait in the journal
   * without spending an attempt, and the owner kicks the sender when the modem is ready again. Default: always.
   */
  canSend?: () => boolean;
}

function asFailure(error: unknown): SendFailure {
  const e = error as Partial<SendFailure> & { classification?: string };
  return {
    message: e?.message ?? String(error),
    transient: e?.transient ?? e?.classification !== 'permanent',
    ...(typeof e?.code === 'number' ? { code: e.code } : {}),
    maybe_sent: e?.maybe_sent === true,
  };
}

function errorOf(failure: SendFailure): ReplyError {
  return { code: failure.code === undefined ? 'send_failed' : `cms_${failure.code}`, message: failure.message };
}

/**
 * The outbox worker (invariant 2): takes due replies from the journal one at a time and sends their parts through the
 * modem, recording each part's message reference as soon as the modem returns it, so a retry never resends a part
 * that went out. Transient errors (+CMS 500, 512, timeouts before the PDU was written) retry with backoff up to
 * `maxAttempts`; permanent ones (+CMS 304, 305, 330 …) fail at once with the modem's code. A send whose outcome is
 * unknown (the PDU was written, then the modem went silent) is reported failed rather than risk a duplicate —
 * FACTS.md: duplicated parts are a top complaint — so every reply is "sent once or reported failed".
 */
export class ReplySender {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly maxAttempts: number;
  private readonly retryMin: number;
  private readonly retryMax: number;

  constructor(private readonly o: ReplySenderOptions) {
    this.maxAttempts = o.maxAttempts ?? 5;
    this.retryMin = o.retry?.minMs ?? 5_000;
    this.retryMax = o.retry?.maxMs ?? 300_000;
  }

  /** Wakes the worker (a reply was queued, or the modem became ready). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.work().finally(() => {
      this.running = null;
      this.armTimer();
    });
  }

  /** Stops taking new replies; resolves when the send in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private armTimer(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.modemCanSend()) return; // the next kick comes when the modem is ready
    const due = this.o.journal.nextReplyDueAt();
    if (due === null) return;
    this.timer = setTimeout(() => this.kick(), Math.max(0, due - this.o.now()));
    this.timer.unref?.();
  }

  private modemCanSend(): boolean {
    return this.o.canSend ? this.o.canSend() : true;
  }

  private async work(): Promise<void> {
    do {
      this.again = false;
      if (!this.modemCanSend()) return;
      for (
        let reply = this.o.journal.nextDueReply(this.o.now());
        reply && !this.stopped && this.modemCanSend();
        reply = this.o.journal.nextDueReply(this.o.now())
      ) {
        await this.sendOne(reply);
      }
    } while (this.again && !this.stopped);
  }

  private async sendOne(queued: ReplyEntry): Promise<void> {
    const reply = this.o.journal.markSending(queued.id);
    let parts: OutgoingPart[];
    try {
      parts = this.o.encode(reply);
    } catch (error) {
      this.fail(reply, { code: 'encode_failed', message: (error as Error).message });
      return;
    }
    for (let index = 0; index < parts.length; index++) {
      if (reply.message_references[index] != null) continue;
      try {
        const reference = await this.o.transmitter.sendPart(parts[index] as OutgoingPart);
        this.o.journal.recordPartSent(reply.id, index, reference);
      } catch (error) {
        this.handleFailure(reply, asFailure(error));
        return;
      }
    }
    this.o.journal.markSent(reply.id);
    this.o.logger.info({ id: reply.id, transaction: reply.transaction, parts: parts.length }, 'reply sent');
    this.o.onStatus();
  }

  private handleFailure(reply: ReplyEntry, failure: SendFailure): void {
    const error = errorOf(failure);
    if (failure.maybe_sent) {
      this.fail(reply, {
        code: 'outcome_unknown',
        message: `${failure.message} (the SMS may have been sent; not retried to avoid a duplicate)`,
      });
    } else if (!failure.transient) {
      this.fail(reply, error);
    } else if (reply.attempts >= this.maxAttempts) {
      this.fail(reply, { code: error.code, message: `${error.message} (gave up after ${reply.attempts} attempts)` });
    } else {
      const delay = Math.min(this.retryMax, this.retryMin * 2 ** Math.max(0, reply.attempts - 1));
      this.o.journal.scheduleRetry(reply.id, this.o.now() + delay, error);
      this.o.logger.warn(
        { id: reply.id, attempt: reply.attempts, retry_in_ms: delay, error },
        'reply send failed; will retry',
      );
    }
  }

  private fail(reply: ReplyEntry, error: ReplyError): void {
    this.o.journal.markFailed(reply.id, error);
    this.o.logger.error({ id: reply.id, transaction: reply.transaction, error }, 'reply failed');
    this.o.onStatus();
  }
}
