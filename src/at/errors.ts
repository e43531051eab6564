/**
 * Everything that can go wrong with one AT command, as one class with a `kind` marker (the node-serialport
 * `disconnected: true` / `canceled: true` idea) and the modem's own code and text when it gave one.
 */
export type AtErrorKind = 'cme' | 'cms' | 'error' | 'timeout' | 'disconnected' | 'canceled' | 'interrupted';

export interface AtErrorDetails {
  /** Numeric +CME/+CMS code, when the modem gave one or its verbose text is a known one. */
  code?: number;
  /** What the modem said (`SIM busy`, `NO CARRIER`, the raw final line …). */
  modemText?: string;
  /** The command that failed, with secrets (PINs) masked. */
  command?: string;
  /** The data after a `> ` prompt had been written when the command failed: its effect (an SMS sent) is unknown. */
  afterInput?: boolean;
}

export class AtError extends Error {
  override name = 'AtError';
  readonly kind: AtErrorKind;
  readonly code: number | undefined;
  readonly modemText: string | undefined;
  readonly command: string | undefined;
  readonly afterInput: boolean;

  constructor(kind: AtErrorKind, message: string, details: AtErrorDetails = {}) {
    super(message);
    this.kind = kind;
    this.code = details.code;
    this.modemText = details.modemText;
    this.command = details.command;
    this.afterInput = details.afterInput ?? false;
  }
}

export function isAtError(error: unknown, kind?: AtErrorKind): error is AtError {
  return error instanceof AtError && (kind === undefined || error.kind === kind);
}
