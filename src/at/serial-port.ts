import { autoDetect } from '@serialport/bindings-cpp';
import { SerialPortStream } from '@serialport/stream';

/**
 * serialport's own `SerialPort` class, built from its two parts. The `serialport` package's entry point also loads
 * all ten of its parsers and the mock binding, none of which the daemon uses; importing the stream and the native
 * binding directly keeps them out of the long-running process (a small win: about 0.1 MB of idle RSS, 2026-12-07).
 * `m2m-bridge ports` and doctor, which list ports, still use `serialport` itself.
 */
const binding = autoDetect();

export interface SerialPortOptions {
  path: string;
  baudRate: number;
  /** Drop DTR/RTS on close: off, so a modem that resets on DTR does not reboot every time the port closes. */
  hupcl?: boolean;
  /** Take the port's exclusive lock (TIOCEXCL), as serialport does by default. */
  lock?: boolean;
}

export type SerialPort = SerialPortStream<typeof binding>;

/** An unopened serial port (call `open`), with serialport's defaults for everything not given. */
export function newSerialPort(options: SerialPortOptions): SerialPort {
  return new SerialPortStream({ binding, autoOpen: false, ...options });
}
