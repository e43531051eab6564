import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { MAX_REPLY_PAYLOAD_BYTES, parseReply, type ReplyOptions, ReplyValidationError } from '../commands/index.js';
import type { Journal } from '../store/index.js';
import { type CommandStatusPayload, rejectedReplyPayload } from './payloads.js';

interface ReplyIntakeOptions {
  journal: Journal;
  reply: ReplyOptions;
  now: () => number;
  logger: Logger;
  /** Publishes a refusal on command/status. Must not be awaited inside the MQTT handler (see handle). */
  publishRejection(payload: CommandStatusPayload): void;
  /** Called after a reply was committed (wakes the sender and the status publisher). */
  onQueued(): void;
  /** Called after a duplicate's status was committed for publishing again (wakes the status publisher). */
  onStatus(): void;
}

/**
 * `command/send` (invariant 2): a reply is validated, committed to the journal, and only then does `handle` return —
 * which is when the MQTT connection sends the PUBACK. A refused payload is acknowledged too (it was received; it just
 * is not a valid reply) and answered with a `failed` status naming the field, with the caller's transaction.
 *
 * A reply with a transaction is deduplicated on (transaction, mode, body): if the process dies after the commit but
 * before the PUBACK, the broker redelivers the same message and it must not be sent twice. Without a transaction a
 * redelivery cannot be told from a new reply; README says so. A duplicate is not sent, but it is answered: the latest
 * command/status of the reply it duplicates is journaled again and published (a caller always gets a status for what
 * it published). The dedupe lasts as long as the reply is in the journal (store.retention_days).
 */
export class ReplyIntake {
  constructor(private readonly options: ReplyIntakeOptions) {}

  handle(payload: Buffer): void {
    if (payload.byteLength > MAX_REPLY_PAYLOAD_BYTES) {
      // Dropped before parsing (ARCHITECTURE.md): nothing of it is read, not even a transaction.
      this.options.logger.warn(
        { bytes: payload.byteLength, limit: MAX_REPLY_PAYLOAD_BYTES },
        'command/send payload too large; dropped',
      );
      this.refuse(
        null,
        'payload_too_large',
        `payload of ${payload.byteLength} bytes is over the ${MAX_REPLY_PAYLOAD_BYTES}-byte limit`,
      );
      return;
    }
    let request: ReturnType<typeof parseReply>;
    try {
      request = parseReply(payload, this.options.reply);
    } catch (error) {
      if (!(error instanceof ReplyValidationError)) throw error;
      this.options.logger.warn(
        { code: error.code, field: error.field, transaction: error.transaction },
        `reply refused: ${error.message}`,
      );
      this.refuse(error.transaction, error.code, error.message);
      return;
    }
    const dedupeKey =
      request.transaction === null
        ? null
        : createHash('sha256')
            .update(JSON.stringify([request.transaction, request.mode, request.body]))
            .digest('hex');
    const recorded = this.options.journal.enqueueReply({
      dedupe_key: dedupeKey,
      transaction: request.transaction,
      destination: request.destination,
      mode: request.mode,
      body: request.body,
      parts: request.parts,
    });
    if (!recorded.created) {
      const repeated = this.options.journal.repeatStatus(recorded.entry.id);
      this.options.logger.info(
        { id: recorded.entry.id, transaction: request.transaction, status: repeated?.status },
        'reply already accepted (same transaction, mode and body); not sent again, its latest status published again',
      );
      this.options.onStatus();
      return;
    }
    this.options.logger.info(
      { id: recorded.entry.id, transaction: request.transaction, parts: request.parts },
      'reply queued',
    );
    this.options.onQueued();
  }

  private refuse(transaction: string | null, code: string, message: string): void {
    this.options.publishRejection(rejectedReplyPayload(transaction, code, message, new Date(this.options.now())));
  }
}
