import type { Duplex } from 'node:stream';
import { encodeSubmit } from '../../../src/sms/index.js';

/**
 * Just enough of a TE to make the simulated modem send SMS: PDU mode, AT+CMGS with the `> ` prompt and Ctrl-Z
 * (TS 27.005 §3.5.1). Every wait has a deadline.
 */
export class AtClient {
  #buffer = '';
  readonly #stream: Duplex;

  constructor(stream: Duplex) {
    this.#stream = stream;
    stream.setEncoding('latin1');
    stream.on('data', (chunk: string) => {
      this.#buffer += chunk;
    });
  }

  async #until(pattern: RegExp, timeoutMs = 3_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.#buffer);
      if (match) {
        this.#buffer = this.#buffer.slice(match.index + match[0].length);
        return match[0];
      }
      if (Date.now() > deadline)
        throw new Error(`modem did not answer ${pattern} within ${timeoutMs} ms: ${this.#buffer}`);
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.#stream.off('data', done);
          resolve();
        };
        const timer = setTimeout(done, Math.max(1, deadline - Date.now()));
        this.#stream.once('data', done);
      });
    }
  }

  async command(line: string): Promise<string> {
    this.#stream.write(`${line}\r`);
    return this.#until(/\r\n(OK|ERROR|\+CM[ES] ERROR: \d+)\r\n/);
  }

  /** Sends each part of the SMS-SUBMIT(s) for `to`; resolves when every +CMGS answered OK. */
  async sendSms(to: string, content: { text: string } | { data: Uint8Array }): Promise<void> {
    for (const part of encodeSubmit({ to, ...content })) {
      this.#stream.write(`AT+CMGS=${part.tpdu_length}\r`);
      await this.#until(/> /);
      this.#stream.write(`${part.pdu}\x1a`);
      const result = await this.#until(/\r\n(OK|ERROR|\+CMS ERROR: \d+)\r\n/, 5_000);
      if (!result.includes('OK')) throw new Error(`AT+CMGS failed: ${result.trim()}`);
    }
  }
}
