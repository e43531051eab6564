import { isAtError } from '../../at/errors.js';
import { parseClckStatus, parseCpinState, RETRY_QUERIES, type SimRetries } from '../../modem/index.js';
import { AtPort, PortHeldError } from '../at-port.js';
import { portOwner } from '../port-owner.js';

/** What `m2m-bridge sim status` reports: what the SIM waits for, the tries left, whether the PIN lock is on. */
export interface SimLockReport {
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
type PinAnswer = { ok: true } | { ok: false; cme: number | undefined; text: string };

/**
 * The SIM tool's connection to the modem: opened directly (the daemon must not be running: it holds the port and
 * would start over on its own meanwhile), AT+CMEE=1 so a wrong PIN (16) is told from a blocked SIM (12, 13).
 */
export class SimPort {
  private constructor(private readonly port: AtPort) {}

  static async open(path: string, baudRate: number): Promise<SimPort> {
    let port: AtPort;
    try {
      port = await AtPort.open(path, baudRate);
    } catch (error) {
      if (!(error instanceof PortHeldError)) throw new SimToolError(`cannot open ${path}: ${(error as Error).message}`);
      const owner = await portOwner(path);
      throw new SimToolError(
        owner.kind === 'other'
          ? `${path} is held by ${owner.holders.map((h) => `${h.name} (pid ${h.pid})`).join(', ')}: stop that program first`
          : `${path} is held by ${owner.kind === 'daemon' ? `the daemon (pid ${owner.pids.join(', ')})` : 'another process'}: stop it first (sudo systemctl stop m2m-bridge), unlock, then start it again — the daemon itself never enters a PUK or retries a PIN`,
      );
    }
    if (!(await port.answersAt())) {
      await port.close();
      throw new SimToolError(`no answer to AT on ${path} at ${baudRate} baud: is this the modem's AT port?`);
    }
    await port.ask('AT+CMEE=1');
    return new SimPort(port);
  }

  async status(): Promise<SimLockReport> {
    let state: string;
    try {
      state = parseCpinState((await this.port.channel.run('AT+CPIN?', { prefix: '+CPIN:' })).lines) ?? 'unknown';
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
      const lines = await this.port.ask(query.command);
      const parsed = lines ? query.parse(lines, state) : undefined;
      if (parsed) {
        retries = parsed;
        retriesFrom = query.command;
        break;
      }
    }
    const lock = await this.port.ask('AT+CLCK="SC",2', '+CLCK:');
    return { state, retries, retriesFrom, pinLockEnabled: lock ? (parseClckStatus(lock) ?? null) : null };
  }

  /** Runs a command carrying a PIN or PUK; the answer never repeats the command. */
  async enter(command: string): Promise<PinAnswer> {
    try {
      await this.port.channel.run(command, { timeoutMs: 20_000 });
      return { ok: true };
    } catch (error) {
      if (!isAtError(error)) throw error;
      return { ok: false, cme: error.kind === 'cme' ? error.code : undefined, text: error.modemText ?? error.kind };
    }
  }

  close(): Promise<void> {
    return this.port.close();
  }
}
