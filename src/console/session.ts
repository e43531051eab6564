/** Prints lines above the prompt (the REPL redraws the input line after them). */
export type Print = (lines: string[]) => void;

/** One way of talking to the modem: the port itself, or the daemon's `bridge/request/at`. */
export interface ConsoleSession {
  readonly mode: 'direct' | 'daemon';
  /** The first line the console prints: what it is connected to and how. */
  banner(): string;
  /** True after a `> ` prompt: the next input line is a message body, not a command. */
  readonly waitingForBody: boolean;
  /** Sends one input line; resolves when its answer is complete (final result, refusal, or deadline). */
  submit(line: string): Promise<void>;
  close(): Promise<void>;
}
