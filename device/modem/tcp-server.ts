import { createServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { lineWriter } from './pacer.js';

/**
 * Serves the modem over TCP the way ser2net serves a serial port: each client gets a connection to the same modem
 * (raw bytes, no Telnet negotiation).
 */
export class TcpModemServer {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly connect: () => Duplex,
    private readonly baud?: number,
  ) {}

  async listen(host: string, port: number): Promise<{ host: string; port: number }> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('TCP server has no address');
    return { host: address.address, port: address.port };
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    const stream = this.connect();
    const writer = lineWriter(this.baud, (data) => socket.write(data));
    stream.on('data', (data: Buffer) => writer.write(data));
    socket.on('data', (data) => stream.write(data));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.sockets.delete(socket);
      writer.close();
      stream.destroy();
    });
  }

  /** Drops every client (like an unplug) but keeps listening. */
  dropClients(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropClients();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
