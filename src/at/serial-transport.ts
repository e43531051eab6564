import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import { newSerialPort, type SerialPort } from './serial-port.js';
import { StreamTransport, type Transport, TransportError } from './transport.js';

export interface OpenTransportOptions {
  baudRate?: number;
  /** How long a TCP connect may take. */
  connectTimeoutMs?: number;
}

/**
 * A serial device or pty through serialport@13. Prefer /dev/serial/by-id/… paths: ttyUSBn numbers change when a USB
 * modem re-enumerates (FACTS.md).
 */
export function serialTransport(path: string, baudRate = 115200, watchEveryMs = 1000): Transport {
  return new StreamTransport(path, async () => {
    const port = newSerialPort({ path, baudRate, hupcl: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new TransportError(`${path}: ${error.message}`)) : resolve())),
    );
    watchDevicePath(path, port, watchEveryMs);
    return port;
  });
}

/**
 * serialport notices most hang-ups by itself (a read fails with EIO), but not every one: a port whose device went
 * away can look open until the next write (about 1 unplug in 10 of the simulator's pty here). The device path — the
 * /dev node, or the by-id or udev symlink to it — disappearing is the unplug itself, so a cheap stat once a second
 * closes the port then, and the driver starts reopening at once instead of at its next status poll.
 */
function watchDevicePath(path: string, port: SerialPort, everyMs: number): void {
  const timer = setInterval(() => {
    if (existsSync(path)) return;
    clearInterval(timer);
    port.emit('error', new Error(`${path} disappeared (unplugged?)`));
    if (port.isOpen) port.close(() => {});
  }, everyMs);
  timer.unref();
  port.once('close', () => clearInterval(timer));
}

/** Remote serial over TCP (ser2net, a terminal server, or the simulator's TCP listener): `tcp://host:port`. */
export function tcpTransport(url: string, connectTimeoutMs = 5000): Transport {
  const parsed = parseTcpUrl(url);
  return new StreamTransport(url, async () => {
    const socket = createConnection({ host: parsed.host, port: parsed.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new TransportError(`${url}: connect timed out after ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new TransportError(`${url}: ${error.message}`));
      });
    });
    return socket;
  });
}

export function parseTcpUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/.exec(url);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port < 1 || port > 65535) {
    throw new TransportError(`invalid TCP serial address ${JSON.stringify(url)}: expected tcp://host:port`);
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** `tcp://host:port` → TCP; anything else is a serial device path. */
export function transportForPath(path: string, options: OpenTransportOptions = {}): Transport {
  return path.startsWith('tcp://')
    ? tcpTransport(path, options.connectTimeoutMs)
    : serialTransport(path, options.baudRate ?? 115200);
}
