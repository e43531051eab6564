import { AtChannel } from '../../at/channel.js';
import { isAtError } from '../../at/errors.js';
import { transportForPath } from '../../at/serial-transport.js';
import type { Transport } from '../../at/transport.js';
import { UrcRegistry } from '../../at/urc-registry.js';
import { parseClckStatus, parseCpinState, RETRY_QUERIES, type SimRetries } from '../../modem/index.js';
import { systemClock } from '../../util/clock.js';
import { silentLogger } from '../../util/logger.js';
import { portOwner } from '../port-owner.js';

/** What `m2m-bridge sim status` reports: what the SIM waits for, the tries left, whether the PIN lock is on. */
export interface SimStatus {
  /** READY, SIM PIN, SIM PUK, PH-SIM PIN …; or `no SIM` / `SIM failure` from +CME ERROR 10 / 13. */
  state: string;
  retries: SimRetries;
  /** Which command told the retries (modules differ), or null when none answered. */
  retriesFrom: string | null;
  /** AT+CLCK="SC",2: the SIM asks for its PIN at power-on; null when the modem would not say. */
  pinLockEnabled: boolean | null;
}

/** A failure the user can act on, printed as one line; never carries a PIN (AtError messages name the command). */
export class SimToolError extends Error {
  override name = 'SimToolError';
}

/** The modem's answer to a PIN-carrying command, without the command in it. */
export type PinAnswer = { ok: true } | { ok: false; cme: number | undefined; text: string };

/**
 * The SIM tool's own connection to the modem: opened directly (the daemon must not be running: it holds the port and
 * would start over on its own meanwhile), AT+CMEE=1 so a wrong PIN (16) is told from a blocked SIM (12, 13).
 */
export class SimPort {
  private constructor(
    private readonly transport: Transport,
    private readonly channel: AtChannel,
  ) {}

  static async open(path: string, baudRate: number, transport?: Transport): Promise<SimPort> {
    const port = transport ?? transportForPath(path, { baudRate });
    try {
      await port.open();
    } catch (error) {
      const message = (error as Error).message;
      if (!/lock|busy|EAGAIN|unavailable/i.test(message)) throw new SimToolError(`cannot open ${path}: ${message}`);
      const owner = await portOwner(path);
      throw new SimToolError(
        owner.kind === 'other'
          ? `${path} is held by ${owner.holders.map((h) => `${h.name} (pid ${h.pid})`).join(', ')}: stop that program first`
          : `${path} is held by ${owner.kind === 'daemon' ? `the daemon (pid ${owner.pids.join(', ')})` : 'another process'}: stop it first (sudo systemctl stop m2m-bridge), unlock, then start it again — the daemon itself never enters a PUK or retries a PIN`,
      );
    }
    const channel = new AtChannel({
      transport: port,
      clock: systemClock,
      logger: silentLogger(),
      urcs: new UrcRegistry(),
      maxTimeoutMs: 10_000,
    });
    const session = new SimPort(port, channel);
    let answered = false;
    for (let attempt = 0; attempt < 3 && !answered; attempt++)
      answered = await channel.run('AT', { timeoutMs: 2_000 }).then(
        () => true,
        () => false,
      );
    if (!answered) {
      await session.close();
      throw new SimToolError(`no answer to AT on ${path} at ${baudRate} baud: is this the modem's AT port?`);
    }
    await channel.run('AT+CMEE=1').catch(() => undefined);
    return session;
  }

  /** Lines of a query, or null when the modem refused it (not every modem has every counter). */
  private async ask(command: string, prefix?: string): Promise<string[] | null> {
    try {
      return (await this.channel.run(command, prefix ? { prefix } : {})).lines;
    } catch (error) {
      if (isAtError(error)) return null;
      throw error;
    }
  }

  async status(): Promise<SimStatus> {
    let state: string;
    try {
      state = parseCpinState((await this.channel.run('AT+CPIN?', { prefix: '+CPIN:' })).lines) ?? 'unknown';
    } catch (error) {
      if (!isAtError(error)) throw error;
      state =
        error.code === 10
          ? 'no SIM'
          : error.code === 13
            ? 'SIM failure'
            : `not readable (${error.modemText ?? error.kind})`;
    }
    let retries: SimRetries = { pin: null, puk: null };
    let retriesFrom: string | null = null;
    for (const query of RETRY_QUERIES) {
      const lines = await this.ask(query.command);
      const parsed = lines ? query.parse(lines) : undefined;
      if (parsed) {
        retries = parsed;
        retriesFrom = query.command;
        break;
      }
    }
    const lock = await this.ask('AT+CLCK="SC",2', '+CLCK:');
    return { state, retries, retriesFrom, pinLockEnabled: lock ? (parseClckStatus(lock) ?? null) : null };
  }

  /** Runs a command carrying a PIN or PUK; the answer never repeats the command. */
  async enter(command: string): Promise<PinAnswer> {
    try {
      await this.channel.run(command, { timeoutMs: 20_000 });
      return { ok: true };
    } catch (error) {
      if (!isAtError(error)) throw error;
      return { ok: false, cme: error.kind === 'cme' ? error.code : undefined, text: error.modemText ?? error.kind };
    }
  }

  async close(): Promise<void> {
    this.channel.close();
    await this.transport.close().catch(() => {});
  }
}
