import { createInterface, type Interface } from 'node:readline';
import { loadHistory, saveHistory } from './history.js';
import type { ConsoleSession } from './session.js';

export const CONSOLE_HELP = [
  'Type AT commands (AT+CSQ, AT+CREG?, ATI …) and Enter. Up/down arrows: history; Ctrl-A/E, Ctrl-W: line editing.',
  'Unsolicited result codes (+CMTI, +CREG …) are shown as they arrive, with the time.',
  'PDUs (after +CMGR/+CMGL/+CMT/+CDS) are decoded under the line; +CME/+CMS ERROR codes are explained.',
  'After a "> " prompt (AT+CMGS=<n>) the next line is the PDU, sent with Ctrl-Z; .esc cancels.',
  '.help this text   .quit (or Ctrl-D) leave',
];

export interface ReplOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  historyPath: string | null;
  /** Warnings (e.g. the history could not be saved) go here. */
  warn(message: string): void;
}

/**
 * The line editor around a session: node:readline with history, one input line at a time (lines typed while the
 * modem answers wait their turn), output from the session printed above the prompt. Resolves when the user leaves
 * (.quit, Ctrl-D, Ctrl-C, or the end of piped input once every line was answered).
 */
export class Repl {
  private rl: Interface | null = null;
  private queue: Promise<void> = Promise.resolve();
  private history: string[];
  /** A command is being answered: its lines print plainly; the prompt comes back once it is complete. */
  private busy = false;

  constructor(private readonly options: ReplOptions) {
    this.history = loadHistory(options.historyPath);
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

  run(session: ConsoleSession): Promise<void> {
    const terminal = (this.options.input as NodeJS.ReadStream).isTTY === true;
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
    this.options.output.write(`${session.banner()}\n`);
    rl.prompt();
    return new Promise<void>((resolve) => {
      let closing = false;
      const leave = () => {
        if (closing) return;
        closing = true;
        // From here on nothing may prompt: prompt() on a closed interface resumes stdin and keeps the process alive.
        this.rl = null;
        // Answer what was typed (or piped) before leaving.
        this.queue = this.queue.then(async () => {
          // Console commands (.quit, .help) are not worth recalling next time.
          const commands = this.history.filter((line) => !line.trim().startsWith('.'));
          const warning = saveHistory(this.options.historyPath, commands);
          if (warning) this.options.warn(warning);
          await session.close();
          resolve();
        });
      };
      rl.on('line', (line) => {
        this.queue = this.queue.then(() => this.handle(line, session, () => rl.close()));
      });
      rl.on('SIGINT', () => {
        // Ctrl-C while the modem is answering (AT+COPS=? can take minutes): stop waiting and leave now.
        if (this.busy) void session.close();
        rl.close();
      });
      rl.on('close', leave);
    });
  }

  private async handle(line: string, session: ConsoleSession, quit: () => void): Promise<void> {
    const text = line.trim();
    if (!session.waitingForBody) {
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
    this.busy = true;
    try {
      await session.submit(text);
    } catch (error) {
      this.print([`error: ${(error as Error).message}`]);
    } finally {
      this.busy = false;
    }
    if (this.rl) {
      if ((this.options.input as NodeJS.ReadStream).isTTY === true)
        this.rl.setPrompt(session.waitingForBody ? '> ' : 'AT> ');
      this.rl.prompt();
    }
  }
}
