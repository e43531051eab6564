import { AtError } from '../at/errors.js';

/**
 * Whether retrying a failed +CMGS can help. 3GPP TS 27.005 §3.2.5: 500 "unknown error" and the manufacturer range
 * from 512 are what modems print for radio/network hiccups (FACTS.md: "500/512 are usually transient"); 314 SIM busy,
 * 331 no network service and 332 network timeout pass; RP causes 38/41/42/47 (TS 24.011 §8.2.5.4) are temporary
 * network conditions. 304/305 mean our PDU is bad, 330 a missing SMSC, 1..127 other final network rejections:
 * retrying them repeats the failure.
 */
const TRANSIENT_CMS = new Set([38, 41, 42, 47, 314, 331, 332, 500]);

export type SendFailureClass = 'transient' | 'permanent';

export function classifyCms(code: number | undefined): SendFailureClass {
  if (code === undefined) return 'transient';
  if (TRANSIENT_CMS.has(code) || code >= 512) return 'transient';
  return 'permanent';
}

/**
 * A send that failed. `maybe_sent` is true when the outcome is unknown (deadline passed after the PDU was written, or
 * the port vanished meanwhile): the network may have accepted it, so a blind retry can duplicate the part.
 */
export class SendError extends Error {
  override name = 'SendError';
  readonly classification: SendFailureClass;
  readonly code: number | undefined;
  readonly part: number;
  readonly message_references: number[];
  readonly maybe_sent: boolean;
  override readonly cause: unknown;

  constructor(
    message: string,
    details: {
      classification: SendFailureClass;
      code?: number;
      part: number;
      message_references: number[];
      maybe_sent: boolean;
      cause?: unknown;
    },
  ) {
    super(message);
    this.classification = details.classification;
    this.code = details.code;
    this.part = details.part;
    this.message_references = details.message_references;
    this.maybe_sent = details.maybe_sent;
    this.cause = details.cause;
  }

  get transient(): boolean {
    return this.classification === 'transient';
  }
}

/** Maps the AtError of part `part` to a SendError. */
export function toSendError(error: unknown, part: number, refs: number[]): SendError {
  if (error instanceof AtError) {
    if (error.kind === 'cms' || error.kind === 'cme') {
      const classification = error.kind === 'cms' ? classifyCms(error.code) : 'transient';
      return new SendError(`part ${part + 1}: ${error.message}`, {
        classification,
        code: error.code,
        part,
        message_references: refs,
        maybe_sent: false,
        cause: error,
      });
    }
    // Unknown outcome: the deadline passed after the PDU was written, or after the PDU was written the port vanished
    // (`disconnected`), the driver was stopped (`canceled`: daemon shutdown, `modem/restart`) or the modem rebooted
    // (`interrupted`) — it may have reached the network first. Before the PDU was written nothing can have been sent,
    // so a retry is safe.
    const maybeSent =
      error.kind === 'timeout'
        ? !/prompt/.test(error.message)
        : (error.kind === 'disconnected' || error.kind === 'canceled' || error.kind === 'interrupted') &&
          error.afterInput;
    return new SendError(`part ${part + 1}: ${error.message}`, {
      classification: 'transient',
      part,
      message_references: refs,
      maybe_sent: maybeSent,
      cause: error,
    });
  }
  return new SendError(`part ${part + 1}: ${(error as Error)?.message ?? String(error)}`, {
    classification: 'transient',
    part,
    message_references: refs,
    maybe_sent: false,
    cause: error,
  });
}
