import { createSocket, type RemoteInfo, type Socket, type SocketType } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { callIsolated, type Logger } from '../util/index.js';
import { MAX_IP_COMMAND_BYTES } from './limits.js';
import { IpPayloadTooLargeError } from './payload.js';

/**
 * The UDP socket of IP Commands: one datagram is one command. Incoming datagrams from an address outside
 * `allowedSources` (or over 1300 bytes) are dropped and counted, never handed on: whatever else can reach the
 * cellular interface must not become a command. Sending resolves when the datagram left the socket; UDP has no
 * delivery report, so that is all anyone can know.
 */
export interface Datagram {
  payload: Buffer;
  from: { address: string; port: number };
  /** When it was read off the socket (the injected clock). */
  receivedAt: number;
}

export interface IpEndpointStats {
  received: number;
  /** Dropped because the source address is not allowed. */
  dropped_source: number;
  /** Dropped because the payload is over 1300 bytes. */
  dropped_size: number;
  sent: number;
}

export interface IpEndpointOptions {
  bindAddress: string;
  port: number;
  /** Source addresses whose datagrams are commands; compared exactly (IPv4 dotted quad). */
  allowedSources: readonly string[];
  now: () => number;
  logger: Logger;
  /** node:dgram by default; injected so the socket type and options are the caller's. */
  createSocket?: (type: SocketType) => Socket;
}

export class IpSendError extends Error {
  override name = 'IpSendError';
  readonly code: string;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.code = (cause as { code?: string } | null)?.code ?? 'send_failed';
  }
}

export class IpCommandEndpoint {
  readonly stats: IpEndpointStats = { received: 0, dropped_source: 0, dropped_size: 0, sent: 0 };
  private readonly options: IpEndpointOptions;
  private readonly allowed: ReadonlySet<string>;
  private readonly listeners = new Set<(datagram: Datagram) => void>();
  private socket: Socket | null = null;

  constructor(options: IpEndpointOptions) {
    this.options = options;
    this.allowed = new Set(options.allowedSources);
  }

  /** Registers a listener for accepted datagrams; returns the unsubscribe function. A throwing listener is logged. */
  onDatagram(listener: (datagram: Datagram) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const socket = (this.options.createSocket ?? createSocket)('udp4');
    socket.on('message', (payload, from) => this.receive(payload, from));
    socket.on('error', (error) => this.options.logger.error({ err: error }, 'IP Commands socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.bindAddress, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
  }

  /** The bound address and port (the port is the one asked for, or the one picked for port 0). */
  get address(): { address: string; port: number } {
    const info = this.socket?.address() as AddressInfo | undefined;
    return { address: info?.address ?? this.options.bindAddress, port: info?.port ?? this.options.port };
  }

  /** Sends one datagram; resolves when it left the socket. Over 1300 bytes is refused before anything is sent. */
  send(payload: Uint8Array, to: { address: string; port: number }): Promise<void> {
    if (payload.byteLength > MAX_IP_COMMAND_BYTES)
      return Promise.reject(new IpPayloadTooLargeError(payload.byteLength));
    const socket = this.socket;
    if (!socket) return Promise.reject(new IpSendError('the IP Commands socket is not open', null));
    return new Promise((resolve, reject) => {
      socket.send(payload, to.port, to.address, (error) => {
        if (error) {
          reject(new IpSendError(`sending to ${to.address}:${to.port} failed: ${error.message}`, error));
          return;
        }
        this.stats.sent++;
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private receive(payload: Buffer, from: RemoteInfo): void {
    if (!this.allowed.has(from.address)) {
      this.stats.dropped_source++;
      this.options.logger.warn(
        { from: from.address, port: from.port, bytes: payload.length, dropped: this.stats.dropped_source },
        'IP datagram from a source outside ip_commands.allowed_sources; dropped',
      );
      return;
    }
    if (payload.length > MAX_IP_COMMAND_BYTES) {
      this.stats.dropped_size++;
      this.options.logger.warn(
        { from: from.address, bytes: payload.length, limit: MAX_IP_COMMAND_BYTES },
        'IP datagram over the IP Command size limit; dropped',
      );
      return;
    }
    this.stats.received++;
    const datagram: Datagram = {
      payload,
      from: { address: from.address, port: from.port },
      receivedAt: this.options.now(),
    };
    callIsolated(this.listeners, [datagram], (error) =>
      this.options.logger.error({ err: error }, 'IP datagram listener failed'),
    );
  }
}
