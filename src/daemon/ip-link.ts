import { networkInterfaces } from 'node:os';
import type { DatagramPort } from '../bridge/index.js';
import type { BridgeConfig } from '../config/index.js';
import { type Datagram, IpCommandEndpoint, IpSendError, resolveBindAddress } from '../ip/index.js';
import { type Clock, systemClock, type TimerHandle, unrefTimer } from '../util/clock.js';
import { callIsolated } from '../util/emit.js';
import type { Logger } from '../util/logger.js';

/**
 * The IP Commands socket for the daemon: binds to the configured interface or address, and keeps trying every
 * `retryMs` while that fails (the cellular interface may come up after the daemon — the OS owns the data link), so
 * the daemon never fails to start over it. While unbound, replies on the IP transport fail with `ip_link_down`.
 */
interface IpLinkOptions {
  config: BridgeConfig['ip_commands'];
  now: () => number;
  logger: Logger;
  retryMs?: number;
  /** Times the retries; default the system clock. */
  clock?: Clock;
  /** os.networkInterfaces by default (tests give their own table). */
  interfaces?: typeof networkInterfaces;
}

export class IpLink implements DatagramPort {
  private endpoint: IpCommandEndpoint | null = null;
  private timer: TimerHandle | null = null;
  private stopped = false;
  private lastError: string | null = null;
  private readonly listeners = new Set<(datagram: Datagram) => void>();

  constructor(private readonly options: IpLinkOptions) {}

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  /** Tries to bind now; on failure logs once and retries in the background. Never throws. */
  async start(): Promise<void> {
    await this.tryBind();
  }

  /** Where the socket listens, or null while it is not bound (for logs, status, tests). */
  get address(): { address: string; port: number } | null {
    return this.endpoint?.address ?? null;
  }

  /** Why the socket is not bound, or null when it is. */
  get problem(): string | null {
    return this.endpoint ? null : this.lastError;
  }

  get stats() {
    return this.endpoint?.stats ?? null;
  }

  onDatagram(listener: (datagram: Datagram) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(payload: Uint8Array, to: { address: string; port: number }): Promise<void> {
    if (!this.endpoint) {
      const error = new IpSendError(
        `the IP Commands socket is not bound (${this.lastError ?? 'not started'}); the reply was not sent`,
        null,
      );
      return Promise.reject(Object.assign(error, { code: 'ip_link_down' }));
    }
    return this.endpoint.send(payload, to);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.endpoint?.stop();
    this.endpoint = null;
  }

  private async tryBind(): Promise<void> {
    if (this.stopped) return;
    const { config, logger } = this.options;
    try {
      const target =
        config.interface !== undefined ? { interface: config.interface } : { address: config.listen_address ?? '' };
      const bindAddress = resolveBindAddress(target, (this.options.interfaces ?? networkInterfaces)());
      const endpoint = new IpCommandEndpoint({
        bindAddress,
        port: config.listen_port,
        allowedSources: config.allowed_sources,
        now: this.options.now,
        logger,
      });
      await endpoint.start();
      if (this.stopped) {
        await endpoint.stop();
        return;
      }
      endpoint.onDatagram((datagram) =>
        callIsolated(this.listeners, [datagram], (error) =>
          logger.error({ err: error }, 'IP datagram listener failed'),
        ),
      );
      this.endpoint = endpoint;
      this.lastError = null;
      logger.info({ ...endpoint.address, interface: config.interface ?? null }, 'IP Commands: listening');
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastError) {
        logger.error({ err: error }, `IP Commands: cannot listen (${message}); retrying`);
      }
      this.lastError = message;
      this.timer = this.clock.setTimeout(() => void this.tryBind(), this.options.retryMs ?? 30_000);
      unrefTimer(this.timer);
    }
  }
}
