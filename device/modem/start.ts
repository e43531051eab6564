import type { AddressInfo } from 'node:net';
import { createControlServer } from './control-api.js';
import type { SimulatedModemOptions } from './modem-core.js';
import { PtyLink } from './pty-link.js';
import { SimulatedModem } from './simulated-modem.js';
import { TcpModemServer } from './tcp-server.js';

export interface ModemSimOptions extends SimulatedModemOptions {
  /** Path of the symlink to the pty (what a serial program opens). */
  link: string;
  /** Also serve the modem over TCP (like ser2net). Port 0 picks a free port. */
  tcp?: { host: string; port: number };
  /** Serve the control API (JSON over HTTP). Port 0 picks a free port. */
  control?: { host: string; port: number };
  /** Pace output at this serial rate (10 bits per byte); unpaced when absent. */
  baud?: number;
  /** Use this modem instead of creating one (e.g. shared with an in-process network emulator). */
  modem?: SimulatedModem;
}

export interface RunningModemSim {
  modem: SimulatedModem;
  /** The symlink. */
  path: string;
  /** The pty slave the symlink points to (changes on replug). */
  ptyPath: string;
  tcpAddress?: { host: string; port: number };
  controlUrl?: string;
  /** The device disappears: socat ends, the link is removed, an open client gets I/O errors, TCP clients are dropped. */
  unplug(): Promise<void>;
  /** The device comes back at the same path (a new pty). */
  replug(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a simulated modem on a pty (and optionally TCP and the control API). */
export async function startModemSim(options: ModemSimOptions): Promise<RunningModemSim> {
  const { link, tcp, control, baud, modem: given, ...modemOptions } = options;
  const modem = given ?? new SimulatedModem(modemOptions);
  const pty = new PtyLink(link, () => modem.connect(), baud);
  const cleanups: (() => Promise<void>)[] = [];
  let tcpServer: TcpModemServer | undefined;
  try {
    await pty.start();
    cleanups.push(() => pty.stop());
    const running: RunningModemSim = {
      modem,
      path: link,
      ptyPath: pty.ptyPath,
      unplug: async () => {
        await pty.stop();
        // The modem loses power, so a ser2net-style server in front of it loses its port: TCP clients are dropped
        // (the server keeps listening, as ser2net does, and new clients reach the modem once it is back).
        tcpServer?.dropClients();
        modem.setUnplugged(true);
      },
      replug: async () => {
        await pty.start();
        running.ptyPath = pty.ptyPath;
        // Re-enumeration power-cycles a USB modem: it boots again.
        modem.setUnplugged(false);
      },
      close: async () => {
        for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
        if (!given) modem.dispose();
      },
    };
    if (tcp) {
      const server = new TcpModemServer(() => modem.connect(), baud);
      tcpServer = server;
      running.tcpAddress = await server.listen(tcp.host, tcp.port);
      cleanups.push(() => server.close());
    }
    if (control) {
      const server = createControlServer({
        modem,
        plugged: () => pty.running,
        unplug: () => running.unplug(),
        replug: () => running.replug(),
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(control.port, control.host, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      running.controlUrl = `http://${host}:${address.port}`;
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      );
    }
    return running;
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    if (!given) modem.dispose();
    throw error;
  }
}
