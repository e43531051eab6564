/**
 * How handing one part to the modem failed: the one failure type of the `SmsTransmitter` port. The daemon's adapter
 * builds it from the driver's own error (src/modem `SendError`), so the sender reads three typed fields instead of
 * guessing at the shape of whatever was thrown.
 */
export class SendFailure extends Error {
  override name = 'SendFailure';
  /** A retry can help (+CMS 500, 512…, no modem right now); false for +CMS 304, 305, 330 and other rejections. */
  readonly transient: boolean;
  /** The modem's +CMS ERROR code, when it gave one. */
  readonly code: number | undefined;
  /** The PDU may have reached the network (timeout after writing it, port lost): a resend could duplicate it. */
  readonly maybe_sent: boolean;
  override readonly cause: unknown;

  constructor(
    message: string,
    details: { transient: boolean; code?: number | undefined; maybe_sent?: boolean; cause?: unknown },
  ) {
    super(message);
    this.transient = details.transient;
    this.code = details.code;
    this.maybe_sent = details.maybe_sent ?? false;
    this.cause = details.cause;
  }

  /**
   * `error` as a SendFailure. Anything a transmitter throws that is not one (a bug, an unexpected rejection) is taken
   * as transient and not sent: the reply is retried, within its attempts, rather than lost or duplicated.
   */
  static of(error: unknown): SendFailure {
    if (error instanceof SendFailure) return error;
    return new SendFailure(error instanceof Error ? error.message : String(error), { transient: true, cause: error });
  }
}
