import { createConnection } from 'node:net';
import { SerialPort } from 'serialport';
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
export function serialTransport(path: string, baudRate = 115200): Transport {
  return new StreamTransport(path, async () => {
    const port = new SerialPort({ path, baudRate, autoOpen: false, hupcl: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(new TransportError(`${path}: ${error.message}`)) : resolve())),
    );
    return port;
  });
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
