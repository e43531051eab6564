/**
 * A minimal AT client for the simulator's tests: writes command lines to a byte stream (an in-process connection, a
 * serialport on the pty, a TCP socket) and waits — with a deadline — for the final result or the `> ` prompt.
 */
export interface ByteStream {
  write(data: string | Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

const FINAL = /(?:^|\r\n)(OK|ERROR|\+CME ERROR: [^\r]*|\+CMS ERROR: [^\r]*)\r\n/;

/** The text from the start up to and including the first final result code. */
function upToFinal(text: string): string {
  const match = FINAL.exec(text);
  return match ? text.slice(0, match.index + match[0].length) : text;
}

export class SimAtClient {
  /** Everything received so far, as latin1 text. */
  received = '';
  private waiters: { test: () => boolean; resolve: () => void }[] = [];

  constructor(private readonly stream: ByteStream) {
    stream.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.test()) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  /** Resolves when `predicate` holds for the received text; rejects after `timeoutMs` naming what it waited for. */
  waitUntil(predicate: (received: string) => boolean, what: string, timeoutMs = 3000): Promise<void> {
    if (predicate(this.received)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = {
        test: () => predicate(this.received),
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((entry) => entry !== waiter);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what}; received ${JSON.stringify(this.received.slice(-400))}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Waits for `pattern` to appear in what arrives after offset `from` (default: anything received so far). */
  async waitFor(pattern: RegExp, timeoutMs = 3000, from = 0): Promise<string> {
    await this.waitUntil((text) => pattern.test(text.slice(from)), String(pattern), timeoutMs);
    return this.received.slice(from);
  }

  /** Writes raw bytes (no line end added). */
  write(data: string | Buffer): void {
    this.stream.write(data);
  }

  /** Sends `AT...` plus CR and returns what was received from then up to and including the final result code. */
  async command(line: string, timeoutMs = 3000): Promise<string> {
    const start = this.received.length;
    this.stream.write(`${line}\r`);
    await this.waitUntil((text) => FINAL.test(text.slice(start)), `final result of ${line}`, timeoutMs);
    return upToFinal(this.received.slice(start));
  }

  /** Sends a command that answers with the SMS prompt, then `body` and Ctrl-Z; returns the text after the prompt. */
  async send(line: string, body: string, timeoutMs = 5000): Promise<string> {
    const start = this.received.length;
    this.stream.write(`${line}\r`);
    await this.waitUntil((text) => text.slice(start).includes('\r\n> '), `prompt of ${line}`, timeoutMs);
    const afterPrompt = this.received.length;
    this.stream.write(`${body}\x1a`);
    await this.waitUntil((text) => FINAL.test(text.slice(afterPrompt)), `final result after ${line}`, timeoutMs);
    return upToFinal(this.received.slice(afterPrompt));
  }
}
