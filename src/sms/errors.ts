/**
 * A malformed PDU. `field` names the TPDU field that could not be read (snake_case, as in the decoded JSON, e.g.
 * `user_data_length`, `originator`, `udh`), `offset` is the octet offset in the decoder's input (the SMSC prefix
 * included when there is one), so a log line can point at the exact octet.
 */
export class PduError extends Error {
  override name = 'PduError';
  readonly field: string;
  readonly offset: number;
  /** The message without the field/offset prefix. */
  readonly detail: string;

  constructor(field: string, offset: number, detail: string) {
    super(`${field} at octet ${offset}: ${detail}`);
    this.field = field;
    this.offset = offset;
    this.detail = detail;
  }
}

/** Options an encoder cannot turn into a PDU (an address with letters, text that does not fit, a bad validity). */
export class SmsEncodeError extends Error {
  override name = 'SmsEncodeError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
