import type { Duplex } from 'node:stream';

/**
 * The byte pipe under the AT channel, after node-serialport's bindings-interface: open, write (resolving only once
 * the bytes were handed to the OS, so callers respect backpressure), close, and two events. A transport is used for one
 * connection; reconnecting means asking the factory for a new one.
 */
export interface Transport {
  /** For logs, e.g. `/dev/serial/by-id/usb-Quectel…` or `tcp://10.0.0.5:4001`. */
  readonly description: string;
  readonly isOpen: boolean;
  open(): Promise<void>;
  write(data: Uint8Array | string): Promise<void>;
  close(): Promise<void>;
  onData(listener: (chunk: Buffer) => void): void;
  /** Fires once when the connection ends for any reason (unplug, peer closed, close()). */
  onClose(listener: (error?: Error) => void): void;
}

export type TransportFactory = () => Transport;

export class TransportError extends Error {
  override name = 'TransportError';
}

/**
 * A Transport over any Node Duplex stream: serialport's SerialPort, a net.Socket, or a simulator's in-process
 * `connect()` stream. `opener` creates and opens the stream.
 */
export class StreamTransport implements Transport {
  private stream: Duplex | undefined;
  private closed = false;
  private readonly dataListeners: ((chunk: Buffer) => void)[] = [];
  private readonly closeListeners: ((error?: Error) => void)[] = [];

  constructor(
    readonly description: string,
    private readonly opener: () => Promise<Duplex>,
  ) {}

  get isOpen(): boolean {
    return this.stream !== undefined && !this.closed;
  }

  async open(): Promise<void> {
    if (this.stream) throw new TransportError(`${this.description}: already opened`);
    const stream = await this.opener();
    this.stream = stream;
    let lastError: Error | undefined;
    stream.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      for (const l of this.dataListeners) l(buf);
    });
    stream.on('error', (error: Error) => {
      lastError = error;
      this.finish(error);
    });
    stream.on('close', () => this.finish(lastError));
    stream.on('end', () => this.finish(lastError));
  }

  write(data: Uint8Array | string): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed) return Promise.reject(new TransportError(`${this.description}: not open`));
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    return new Promise((resolve, reject) => {
      let needDrain = false;
      const onClose = () => reject(new TransportError(`${this.description}: closed during write`));
      this.closeListeners.push(onClose);
      const done = (error?: Error | null) => {
        const i = this.closeListeners.indexOf(onClose);
        if (i >= 0) this.closeListeners.splice(i, 1);
        if (error) reject(new TransportError(`${this.description}: write failed: ${error.message}`));
        else resolve();
      };
      needDrain = !stream.write(bytes, (error) => {
        if (error || !needDrain) done(error);
        else stream.once('drain', () => done());
      });
    });
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream || this.closed) return;
    await new Promise<void>((resolve) => {
      // Wait for the fd to be released (serialport holds a lock on the device until its close completes), but never
      // forever: some Duplex implementations never emit 'close' (emitClose: false).
      const timer = setTimeout(resolve, 2000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const closable = stream as Duplex & { close?: (cb: (error?: Error | null) => void) => void; isOpen?: boolean };
      if (typeof closable.close === 'function' && closable.isOpen !== false) {
        closable.close(() => done());
      } else if (stream.destroyed) {
        done();
      } else {
        stream.once('close', done);
        stream.destroy();
      }
    });
    this.finish(undefined);
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListeners.push(listener);
  }

  onClose(listener: (error?: Error) => void): void {
    this.closeListeners.push(listener);
  }

  private finish(error: Error | undefined): void {
    if (this.closed) return;
    this.closed = true;
    for (const l of [...this.closeListeners]) l(error);
  }
}
