import { networkInterfaces } from 'node:os';
import type { DataLinkView } from '../bridge/index.js';
import { pdpContexts } from '../modem/parsers/pdp-context.js';
import { type Clock, every, systemClock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';

/**
 * Whether the cellular data link is up, for `modem/state` and `doctor`: IP Commands cannot arrive without it, and the
 * data connection belongs to the OS (ModemManager/NetworkManager, pppd, QMI tools), so m2m-bridge only looks:
 * the network interface and its address (os.networkInterfaces), and the modem's PDP contexts through the read-only
 * `AT+CGACT?` and `AT+CGPADDR` on the driver's own channel. Nothing here changes the modem or the link.
 */
interface DataLinkProbeOptions {
  /** ip_commands.interface (or null when bound by address). */
  interfaceName: string | null;
  /** The driver's runCommand, resolved per call (a modem/restart replaces the driver). */
  run(command: string, options: { prefix?: string; timeoutMs?: number }): Promise<{ lines: string[] }>;
  /** The IP Commands socket's address, or null while it is not bound. */
  listening(): { address: string; port: number } | null;
  onChange(): void;
  logger: Logger;
  intervalMs?: number;
  /** Times the probes; default the system clock. */
  clock?: Clock;
  interfaces?: typeof networkInterfaces;
}

export class DataLinkProbe {
  private linkView: DataLinkView | null = null;
  private stopTimer: (() => void) | null = null;
  private running = false;

  constructor(private readonly options: DataLinkProbeOptions) {}

  get view(): DataLinkView | null {
    return this.linkView;
  }

  start(): void {
    void this.probe();
    const clock = this.options.clock ?? systemClock;
    this.stopTimer = every(clock, this.options.intervalMs ?? 30_000, () => void this.probe());
  }

  stop(): void {
    this.stopTimer?.();
  }

  /** Looks once (also right after the modem became ready). Never throws. */
  async probe(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const next = await this.look();
      if (JSON.stringify(next) !== JSON.stringify(this.linkView)) {
        this.linkView = next;
        this.options.onChange();
      }
    } finally {
      this.running = false;
    }
  }

  private async look(): Promise<DataLinkView> {
    const name = this.options.interfaceName;
    const entries = name ? (this.options.interfaces ?? networkInterfaces)()[name] : undefined;
    const v4 = entries?.find((entry) => entry.family === 'IPv4')?.address ?? null;
    let pdp: { active: boolean | null; addresses: string[] } = { active: null, addresses: [] };
    try {
      const cgact = await this.options.run('AT+CGACT?', { prefix: '+CGACT:', timeoutMs: 5_000 });
      const cgpaddr = await this.options.run('AT+CGPADDR', { prefix: '+CGPADDR:', timeoutMs: 5_000 });
      const contexts = pdpContexts(cgact.lines, cgpaddr.lines);
      const active = contexts.filter((c) => c.active);
      pdp = { active: active.length > 0, addresses: active.flatMap((c) => c.addresses) };
    } catch (error) {
      // The modem may be initialising, or not know these commands: unknown, not "down".
      this.options.logger.debug({ err: error }, 'data link: the PDP context could not be read');
    }
    return {
      interface: name,
      interface_present: name ? entries !== undefined : null,
      address: v4,
      pdp_active: pdp.active,
      pdp_addresses: pdp.addresses,
      ip_commands_listening: this.options.listening(),
    };
  }
}
