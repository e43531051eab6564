/** Prints lines above the prompt (the REPL redraws the input line after them). */
export type Print = (lines: string[]) => void;

/**
 * How one input line ended: the modem's OK (or a result that is not an error), an error result or a refusal, no
 * answer within the deadline, or given up with Ctrl-C. Piped input exits 1 when any line did not end `ok`.
 */
export type SubmitOutcome = 'ok' | 'error' | 'timeout' | 'canceled';

/** One way of talking to the modem: the port itself, or the daemon's `bridge/request/at`. */
export interface ConsoleSession {
  readonly mode: 'direct' | 'daemon';
  /** The first line the console prints: what it is connected to and how. */
  banner(): string;
  /** True after a `> ` prompt: the next input line is a message body, not a command. */
  readonly waitingForBody: boolean;
  /** Sends one input line; resolves when its answer is complete (final result, refusal, or deadline). */
  submit(line: string): Promise<SubmitOutcome>;
  /**
   * Ctrl-C while a line is being answered: stop waiting for it (and leave the modem's text input mode with ESC), so
   * the console stays usable. A late answer is still shown, as unsolicited.
   */
  cancel(): void;
  close(): Promise<void>;
}
