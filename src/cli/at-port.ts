import { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import { transportForPath } from '../at/serial-transport.js';
import type { Transport } from '../at/transport.js';
import { UrcRegistry } from '../at/urc-registry.js';
import { systemClock } from '../util/clock.js';
import { silentLogger } from '../util/logger.js';

/** The port could not be opened because another process holds its exclusive lock (serialport's flock). */
export class PortHeldError extends Error {
  override name = 'PortHeldError';
}

const HELD = /cannot lock port|resource temporarily unavailable|EBUSY|EAGAIN|resource busy/i;

/**
 * A technician tool's own AT connection to a port (`sim`, `ports --probe`): the transport, an AtChannel on it with a
 * silent logger (what the tools send can carry a PIN, which must not reach a log), and queries that return null
 * instead of throwing when the modem refuses them.
 */
export class AtPort {
  private constructor(
    private readonly transport: Transport,
    readonly channel: AtChannel,
  ) {}

  /** Opens the port; PortHeldError when another process holds it. */
  static async open(
    path: string,
    baudRate: number,
    options: { transport?: Transport; maxTimeoutMs?: number } = {},
  ): Promise<AtPort> {
    const transport = options.transport;
    const port = transport ?? transportForPath(path, { baudRate });
    try {
      await port.open();
    } catch (error) {
      const message = (error as Error).message;
      if (HELD.test(message)) throw new PortHeldError(`${path} is held by another process (${message})`);
      throw error;
    }
    const channel = new AtChannel({
      transport: port,
      clock: systemClock,
      logger: silentLogger(),
      urcs: new UrcRegistry(),
      maxTimeoutMs: options.maxTimeoutMs ?? 10_000,
    });
    return new AtPort(port, channel);
  }

  /** Whether the device answers a plain AT within `tries` attempts (a modem just woken may swallow the first). */
  async answersAt(tries = 3, timeoutMs = 2_000): Promise<boolean> {
    for (let attempt = 0; attempt < tries; attempt++) {
      const answered = await this.channel.run('AT', { timeoutMs }).then(
        () => true,
        () => false,
      );
      if (answered) return true;
    }
    return false;
  }

  /** The lines of a query, or null when the modem refused it or did not answer. */
  async ask(command: string, prefix?: string): Promise<string[] | null> {
    try {
      return (await this.channel.run(command, prefix ? { prefix } : {})).lines;
    } catch (error) {
      if (isAtError(error)) return null;
      throw error;
    }
  }

  async close(): Promise<void> {
    this.channel.close();
    await this.transport.close().catch(() => {});
  }
}
