import type { Transport } from '../../src/at/transport.js';

/**
 * An in-process Transport for unit tests of the AT channel alone: records writes, lets the test feed modem bytes,
 * and can hold writes back to simulate backpressure. `script` answers commands; an unknown command fails loudly.
 */
export class FakeTransport implements Transport {
  readonly description = 'fake';
  isOpen = true;
  readonly written: string[] = [];
  script: ((data: string) => Buffer[] | string | undefined) | undefined;
  /** When set, write() waits for this promise (a slow, backpressured port). */
  writeGate: Promise<void> | undefined;
  private dataListeners: ((chunk: Buffer) => void)[] = [];
  private closeListeners: ((error?: Error) => void)[] = [];

  async open(): Promise<void> {}

  async write(data: Uint8Array | string): Promise<void> {
    if (!this.isOpen) throw new Error('closed');
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('latin1');
    this.written.push(text);
    if (this.writeGate) await this.writeGate;
    const reply = this.script?.(text);
    if (reply !== undefined) {
      const chunks = typeof reply === 'string' ? [Buffer.from(reply, 'latin1')] : reply;
      queueMicrotask(() => {
        for (const c of chunks) this.feed(c);
      });
    }
  }

  feed(data: Buffer | string): void {
    const buf = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    for (const l of this.dataListeners) l(buf);
  }

  async close(): Promise<void> {
    this.drop();
  }

  drop(error?: Error): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    for (const l of this.closeListeners) l(error);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListeners.push(listener);
  }
}
