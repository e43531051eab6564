import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import {
  assembleStoredParts,
  commandFromMessage,
  type InboundMessage,
  messageFromSms,
  multipartKeys,
  type ProductProfile,
  rejectedFromMessage,
  type SenderPolicy,
} from '../commands/index.js';
// Types only (erased at build): the decoded SMS shape the driver hands over. The bridge runs no codec itself.
import type { DecodedDeliver, DecodedSms, DecodedStatusReport } from '../sms/index.js';
import type { InboundInput, Journal } from '../store/index.js';
import type { Origin } from './payloads.js';

/** A message the modem driver read (src/modem `ReceivedSms`, by shape: the bridge knows nothing of the serial port). */
export interface IncomingSms {
  pdu: string;
  decoded: DecodedSms | null;
  decode_error: { message: string; field: string | null; offset: number | null } | null;
}

export interface InboundIntakeOptions {
  journal: Journal;
  profile: ProductProfile;
  senders: SenderPolicy;
  /** `commands.publish_rejected`: publish SMS from unknown senders on sms/rejected (they are journaled either way). */
  publishRejected: boolean;
  /** How long a multipart message waits for a missing part before it is published as partial. */
  multipartTimeoutMs: number;
  now: () => number;
  logger: Logger;
  /** Called after every commit that left something to publish (inbox) or a status change (status reports). */
  onInbound(): void;
  onStatusReport(): void;
  /** Which daemon and SIM took the message in (instance name, ICCID), stamped into the journaled payload. */
  origin?: () => Origin;
}

/** TS 23.040 §9.2.3.15: 0x00–0x1F completed, 0x20–0x3F still trying, 0x40 and above failed. */
function outcomeOf(status: number): 'delivered' | 'pending' | 'failed' {
  if (status < 0x20) return 'delivered';
  return status < 0x40 ? 'pending' : 'failed';
}

/**
 * The modem's message consumer (invariant 1): `accept` commits what the modem read to the journal and returns only
 * then, so the driver deletes it from the modem (+CMGD) or acknowledges it (+CNMA) only after the commit. Repeated
 * reads dedupe on the record's id (single SMS) or part key (multipart). Undecodable PDUs and strangers' SMS are
 * journaled too — as `rejected` — so nothing read from the SIM disappears unrecorded.
 */
export class InboundIntake {
  constructor(private readonly options: InboundIntakeOptions) {}

  async accept(sms: IncomingSms): Promise<void> {
    const decoded = sms.decoded;
    if (!decoded) return this.recordUndecodable(sms);
    if (decoded.type === 'SMS-STATUS-REPORT') return this.recordStatusReport(decoded);
    if (decoded.type === 'SMS-SUBMIT') {
      // A stored outgoing message (some modems list sent drafts in +CMGL=4): not a command, kept as history.
      return this.recordOther(
        sms.pdu,
        'stored outgoing message (SMS-SUBMIT)',
        { destination: decoded.destination, text: decoded.text },
        false,
      );
    }
    const keys = multipartKeys(decoded);
    if (!keys) {
      this.commit(this.inputFor(messageFromSms(decoded)));
      return;
    }
    this.options.journal.recordPart({ ...keys, payload: JSON.stringify(decoded) });
    this.tryAssemble(keys.group_key, false);
  }

  /** Publishes multipart messages whose wait for a missing part is over (call periodically). */
  expireMultipart(): number {
    const now = this.options.now();
    let published = 0;
    for (const group of this.options.journal.pendingGroups()) {
      if (now - group.first_received_at >= this.options.multipartTimeoutMs && this.tryAssemble(group.group_key, true))
        published += 1;
    }
    return published;
  }

  private tryAssemble(groupKey: string, expiring: boolean): boolean {
    const parts = this.options.journal.pendingParts(groupKey);
    const stored = parts.map((part) => ({
      sms: JSON.parse(part.payload) as DecodedDeliver,
      received_at: part.received_at,
      tag: String(part.id),
    }));
    const message = assembleStoredParts(stored, {
      now: this.options.now(),
      timeoutMs: this.options.multipartTimeoutMs,
    });
    if (!message) return false;
    if (message.partial) {
      this.options.logger.warn(
        { from: message.sender, received: message.received, missing: message.missing, expiring },
        'multipart message incomplete after the timeout; publishing it as partial',
      );
    }
    const input = this.inputFor(message);
    const recorded = this.options.journal.completeParts(
      parts.map((part) => part.id),
      input,
    );
    if (recorded.created && input.publish) this.options.onInbound();
    return true;
  }

  private inputFor(message: InboundMessage): InboundInput {
    const check = this.options.senders.check(message.sender);
    if (!check.accepted) {
      this.options.logger.warn(
        { from: message.sender, reason: check.reason },
        'SMS from a sender outside the allow-list',
      );
      return this.rejectedInput(message, check.reason, this.options.publishRejected);
    }
    const record = commandFromMessage(message, { profile: this.options.profile, receivedAt: this.options.now() });
    return { key: record.id, kind: 'command', sender: message.sender, payload: this.stamped(record), publish: true };
  }

  private rejectedInput(message: InboundMessage, reason: string, publish: boolean): InboundInput {
    const record = rejectedFromMessage(
      message,
      { profile: this.options.profile, receivedAt: this.options.now() },
      reason,
    );
    return { key: record.id, kind: 'rejected', sender: message.sender, payload: this.stamped(record), publish };
  }

  /** The payload as journaled: at receive time, so a re-publish after a restart names the SIM that received it. */
  private stamped(record: object): string {
    return JSON.stringify(this.options.origin ? { ...record, ...this.options.origin() } : record);
  }

  private commit(input: InboundInput): void {
    const recorded = this.options.journal.recordInbound(input);
    if (!recorded.created)
      this.options.logger.debug({ key: input.key }, 'message already journaled (read twice); not published again');
    else if (input.publish) this.options.onInbound();
  }

  private recordUndecodable(sms: IncomingSms): void {
    const error = sms.decode_error;
    this.options.logger.warn({ pdu: sms.pdu, error }, 'undecodable PDU from the modem; journaled as rejected');
    this.recordOther(
      sms.pdu,
      `undecodable PDU: ${error?.message ?? 'unknown error'}`,
      { error },
      this.options.publishRejected,
    );
  }

  /** An SMS that is no command and has no sender we can check: journaled as rejected, keyed by its PDU. */
  private recordOther(pdu: string, reason: string, details: object, publish: boolean): void {
    const id = `pdu_${createHash('sha256').update(pdu.toUpperCase()).digest('hex').slice(0, 32)}`;
    const payload = { id, reason, pdu, ...details, received_at: new Date(this.options.now()).toISOString() };
    this.commit({ key: id, kind: 'rejected', sender: '', payload: this.stamped(payload), publish });
  }

  private recordStatusReport(report: DecodedStatusReport): void {
    const outcome = outcomeOf(report.status);
    const updated = this.options.journal.applyStatusReport({
      message_reference: report.message_reference,
      outcome,
      error:
        outcome === 'failed'
          ? { code: `tp_st_${report.status}`, message: `status report: TP-Status ${report.status}` }
          : null,
    });
    if (!updated)
      this.options.logger.info({ message_reference: report.message_reference }, 'status report matches no sent reply');
    else this.options.onStatusReport();
  }
}
