import { type ChildProcess, spawn } from 'node:child_process';
import { cliPath } from '../helpers/cli.js';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]/g;

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * `m2m-bridge at …` on a real pseudo-terminal: util-linux `script` gives the binary a tty (so node:readline runs in
 * terminal mode with line editing and history), and we type into it through script's stdin like a technician would.
 */
export class PtyConsole {
  raw = '';
  private readonly exit: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.raw += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.raw += chunk;
    });
    this.exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static start(args: string[], env: NodeJS.ProcessEnv = {}): PtyConsole {
    const command = [process.execPath, cliPath, 'at', ...args].map(shellQuote).join(' ');
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new PtyConsole(child);
  }

  /** What the terminal showed, without escape sequences and carriage returns. */
  get text(): string {
    return this.raw.replace(ANSI, '').replace(/\r/g, '');
  }

  /** Types keys (`\r` is Enter, `\x1b[A` the up arrow). */
  type(keys: string): void {
    this.child.stdin?.write(keys);
  }

  /** Waits until `pattern` shows in the output after offset `from`; returns the offset after the match. */
  async expect(pattern: RegExp, from = 0, deadlineMs = 10_000): Promise<number> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      const m = pattern.exec(this.text.slice(from));
      if (m) return from + m.index + m[0].length;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${deadlineMs} ms waiting for ${pattern}; the console shows:\n${this.text.slice(from).slice(-1500)}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async exited(deadlineMs = 10_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`console did not exit; output:\n${this.text.slice(-1500)}`)),
        deadlineMs,
      );
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends script (and the console under it) by PID if still running. */
  async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}
