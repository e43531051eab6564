import { createInterface, type Interface } from 'node:readline';
import { loadHistory, saveHistory } from './history.js';
import { carriesSecret } from './secrets.js';
import type { ConsoleSession } from './session.js';

const CONSOLE_HELP = [
  'Type AT commands (AT+CSQ, AT+CREG?, ATI …) and Enter. Up/down arrows: history; Ctrl-A/E, Ctrl-W: line editing.',
  'Unsolicited result codes (+CMTI, +CREG …) are shown as they arrive, with the time.',
  'PDUs (after +CMGR/+CMGL/+CMT/+CDS) are decoded under the line; +CME/+CMS ERROR codes, +CSQ, +CREG, +COPS and',
  '+CPIN answers are explained. After a "> " prompt (AT+CMGS=<n>) the next line is the PDU, sent with Ctrl-Z; .esc',
  'cancels. Ctrl-C gives up waiting for an answer. PINs (AT+CPIN=…, AT+CLCK, AT+CPWD) and message bodies are never',
  'saved in the history.',
  '.help this text   .quit (or Ctrl-D, or Ctrl-C twice) leave',
];

interface ReplOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where the banner goes when input is piped, so that stdout holds only commands and answers (stderr). */
  notices: NodeJS.WritableStream;
  historyPath: string | null;
  /** Warnings (e.g. the history could not be saved) go here. */
  warn(message: string): void;
}

interface ReplResult {
  /** Lines that ended in an error result, a refusal, no answer, or Ctrl-C. */
  failures: number;
}

/**
 * The line editor around a session: node:readline with history, one input line at a time (lines typed while the
 * modem answers wait their turn), output from the session printed above the prompt. Resolves when the user leaves
 * (.quit, Ctrl-D, Ctrl-C twice at an empty prompt, or the end of piped input once every line was answered).
 */
export class Repl {
  private rl: Interface | null = null;
  private queue: Promise<void> = Promise.resolve();
  private history: string[];
  /** A command is being answered: its lines print plainly; the prompt comes back once it is complete. */
  private busy = false;
  private failures = 0;
  /** Ctrl-C at an empty prompt once already: the next one leaves. */
  private interruptedOnce = false;

  constructor(private readonly options: ReplOptions) {
    this.history = loadHistory(options.historyPath).filter((line) => !carriesSecret(line));
  }

  private get terminal(): boolean {
    return (this.options.input as NodeJS.ReadStream).isTTY === true;
  }

  /** Prints above the prompt, keeping what the user has typed so far. */
  print = (lines: string[]): void => {
    const rl = this.rl;
    const tty = (this.options.output as NodeJS.WriteStream).isTTY === true;
    if (rl && tty && !this.busy) {
      // Idle: a URC arrived while the user may be typing. Clear the input line, print, redraw prompt and input.
      this.options.output.write('\r\x1b[K');
      this.options.output.write(`${lines.join('\n')}\n`);
      rl.prompt(true);
    } else this.options.output.write(`${lines.join('\n')}\n`);
  };

  run(session: ConsoleSession): Promise<ReplResult> {
    const terminal = this.terminal;
    const rl = createInterface({
      input: this.options.input,
      output: this.options.output,
      terminal,
      history: this.history,
      historySize: 500,
      removeHistoryDuplicates: true,
      // Piped input (a script) gets answers only, no prompts between them.
      prompt: terminal ? 'AT> ' : '',
    });
    this.rl = rl;
    rl.on('history', (history: string[]) => {
      this.history = history;
    });
    (terminal ? this.options.output : this.options.notices).write(`${session.banner()}\n`);
    rl.prompt();
    return new Promise<ReplResult>((resolve) => {
      let closing = false;
      const leave = () => {
        if (closing) return;
        closing = true;
        // From here on nothing may prompt: prompt() on a closed interface resumes stdin and keeps the process alive.
        this.rl = null;
        // Answer what was typed (or piped) before leaving.
        this.queue = this.queue.then(async () => {
          // Console commands (.quit, .help) are not worth recalling next time; secrets must never be written.
          const commands = this.history.filter((line) => !line.trim().startsWith('.') && !carriesSecret(line));
          const warning = saveHistory(this.options.historyPath, commands);
          if (warning) this.options.warn(warning);
          await session.close();
          resolve({ failures: this.failures });
        });
      };
      rl.on('line', (line) => {
        this.interruptedOnce = false;
        this.queue = this.queue.then(() => this.handle(line, session, () => rl.close()));
      });
      rl.on('SIGINT', () => this.interrupt(rl, session));
      rl.on('close', leave);
    });
  }

  /**
   * Ctrl-C: while the modem answers (AT+COPS=? can take minutes), give up waiting and get the prompt back; on a
   * half-typed line, clear it; at an empty prompt, say how to leave, and leave on the second one.
   */
  private interrupt(rl: Interface, session: ConsoleSession): void {
    if (this.busy) {
      session.cancel();
      return;
    }
    if (rl.line !== '') {
      rl.write(null, { ctrl: true, name: 'u' });
      this.interruptedOnce = false;
      return;
    }
    if (this.interruptedOnce || !this.terminal) {
      rl.close();
      return;
    }
    this.interruptedOnce = true;
    this.print(['(to leave, press Ctrl-C again, Ctrl-D, or type .quit)']);
  }

  /** Takes a line out of the in-memory history (readline put it there as it was typed). */
  private forget(line: string): void {
    for (let i = this.history.indexOf(line); i >= 0; i = this.history.indexOf(line)) this.history.splice(i, 1);
  }

  private async handle(line: string, session: ConsoleSession, quit: () => void): Promise<void> {
    const text = line.trim();
    const body = session.waitingForBody;
    if (body || carriesSecret(text)) this.forget(line);
    if (!body) {
      if (text === '') {
        this.rl?.prompt();
        return;
      }
      if (['.quit', '.exit', 'quit', 'exit'].includes(text.toLowerCase())) {
        quit();
        return;
      }
      if (text === '.help' || text === '?') {
        this.print(CONSOLE_HELP);
        return;
      }
    }
    // A script's output says which command each answer belongs to (a terminal already shows what was typed).
    if (!this.terminal) this.print([body ? `> ${text}` : text]);
    this.busy = true;
    try {
      if ((await session.submit(text)) !== 'ok') this.failures += 1;
    } catch (error) {
      this.failures += 1;
      this.print([`error: ${(error as Error).message}`]);
    } finally {
      this.busy = false;
    }
    if (this.rl) {
      if (this.terminal) this.rl.setPrompt(session.waitingForBody ? '> ' : 'AT> ');
      this.rl.prompt();
    }
  }
}
