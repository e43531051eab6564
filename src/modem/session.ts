import { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import type { Transport } from '../at/transport.js';
import type { UrcRegistry } from '../at/urc-registry.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import type { BootLines } from './boot-lines.js';
import { type InitResult, initializeModem, ModemInitError, simIdOf, syncModem, unlockSim } from './init.js';
import type { ModemProfileName, ModemQuirks } from './quirks/index.js';
import type { Receiver } from './receiver.js';
import { SessionEvents } from './session-events.js';
import { type RefusedPinSet, type SimBlock, sameSimBlock } from './sim-block.js';
import { SweepCadence } from './sweep-cadence.js';
import type { ModemTiming } from './timing.js';
import type { ModemIdentity, ModemState } from './types.js';

/** How a session ended: port lost, reset (reopen at once), stopping, or init failed (reopen after the pause). */
export type SessionEnd = 'lost' | 'reopen' | 'stop' | 'init-failed';

/** What outlives a session: what init learnt about the SIM and how often init timed out in a row. */
export interface InitMemory {
  /** PINs the SIM refused: never sent again, by this driver or the next one (three tries lock the SIM). */
  refusedPins: RefusedPinSet;
  /** Consecutive inits that timed out; three climb to the reset rung. */
  timeouts: number;
}

/** What a session needs of the driver that runs it (modem.ts): its state and status, never the driver itself. */
export interface SessionHost {
  /** The vendor quirks init chose (the reset command). */
  quirks(): ModemQuirks;
  /** `sim`: the blocked SIM behind a `not_initialized` (cause, lock, tries left), else null. */
  setState(state: ModemState, reason: string | null, sim?: SimBlock | null): void;
  /** The identity as read before the SIM check (IMSI null) and the quirks chosen: a blocked SIM still shows them. */
  identified(identity: ModemIdentity, quirks: ModemQuirks): void;
  /** Init succeeded: keep its identity, quirks and storage. */
  initialised(init: InitResult): void;
  /** Polls registration, signal and storage; re-derives ready/degraded. */
  refreshStatus(channel: AtChannel): Promise<void>;
}

export interface SessionOptions {
  transport: Transport;
  clock: Clock;
  logger: Logger;
  urcs: UrcRegistry;
  timing: ModemTiming;
  receiver: Receiver;
  bootLines: BootLines;
  memory: InitMemory;
  host: SessionHost;
  /** The SIM PIN as configured now (a reload can change it while the SIM waits). */
  pin(): string | undefined;
  storage: 'auto' | 'SM' | 'ME' | 'MT';
  profile: ModemProfileName;
  signal: AbortSignal;
}

/**
 * One open port: its AT channel, the receiver bound to it, and the events its callbacks report, all of which die with
 * it. It initialises the modem, then supervises it — periodic status polls and sweeps (on the adaptive cadence of
 * sweep-cadence.ts), and the recovery ladder's first rungs (re-init after a reboot, re-sync and reset when it stops
 * answering) — until the port is lost, the modem was reset, init failed or the driver stops.
 */
export class ModemSession {
  readonly channel: AtChannel;
  readonly events: SessionEvents;
  /** The session initialised the modem at least once (resets the reopen backoff). */
  initialised = false;
  /** When the periodic sweep is due: short after (re-)init and anything odd, long while +CMTI works. */
  readonly cadence: SweepCadence;
  /** The SIM the refused PINs are kept for (init.ts simIdOf), as this session's last init read it. */
  private simId: string | null = null;

  constructor(private readonly options: SessionOptions) {
    this.events = new SessionEvents(options.clock);
    this.cadence = new SweepCadence(options.clock, {
      shortMs: options.timing.sweepIntervalMs,
      longMs: options.timing.idleSweepIntervalMs,
      cleanSweepsToRelax: options.timing.cleanSweepsToRelax,
    });
    this.channel = new AtChannel({
      transport: options.transport,
      clock: options.clock,
      logger: options.logger,
      urcs: options.urcs,
      ...(options.timing.commandTimeoutMs ? { maxTimeoutMs: options.timing.commandTimeoutMs } : {}),
    });
    this.channel.onClose(() => this.events.push({ type: 'wake' }));
  }

  /** Commands time out or the channel failed: the supervisor re-syncs (a single slow answer is no trouble). */
  noteTrouble(): void {
    if (this.channel.consecutiveTimeouts === 0 && !this.channel.isClosed) return;
    this.events.push({ type: 'trouble' });
  }

  async run(): Promise<SessionEnd> {
    try {
      // ESC leaves a text/PDU input mode a previous run may have left open (3GPP TS 27.005 §3.5.1).
      await this.options.transport.write('\x1b\r').catch(() => {});
      for (;;) {
        const failed = await this.initialise();
        if (failed instanceof ModemInitError) {
          // A blocked SIM: the port stays open and the state stays put while it is rechecked slowly.
          const end = await this.whileSimBlocked(failed.sim as SimBlock);
          if (end) return end;
          continue;
        }
        if (failed) return failed;
        const end = await this.supervise();
        if (end !== 'reinit') return end;
      }
    } finally {
      this.channel.close();
      await this.options.receiver.detach();
    }
  }

  /** One init; undefined when the modem is initialised, the error when the SIM is blocked, else how the session ends. */
  private async initialise(): Promise<SessionEnd | ModemInitError | undefined> {
    const { options, channel } = this;
    options.host.setState('initializing', null);
    await options.receiver.detach();
    this.events.clear();
    options.bootLines.initStarted();
    let init: InitResult;
    try {
      init = await initializeModem({
        channel,
        clock: options.clock,
        logger: options.logger,
        pin: options.pin(),
        refusedPins: options.memory.refusedPins,
        storage: options.storage,
        profile: options.profile,
        readyTimeoutMs: options.timing.readyTimeoutMs,
        maxProbeMs: this.maxProbeMs(),
        signal: options.signal,
        onIdentity: (identity, quirks) => {
          this.simId = simIdOf(identity);
          options.host.identified(identity, quirks);
        },
      });
    } catch (error) {
      return this.initFailed(error);
    }
    options.host.initialised(init);
    options.receiver.attach(channel, init.memory, init.readableMemories, init.reportMemory);
    options.memory.timeouts = 0;
    this.initialised = true;
    options.bootLines.initDone(options.clock.now());
    await options.host.refreshStatus(channel);
    options.receiver.sweep('initialised');
    // Notices are unproven after every (re-)init: the short interval until periodic sweeps find nothing un-notified.
    this.cadence.restart(init.cnmi !== undefined);
    return undefined;
  }

  private async initFailed(error: unknown): Promise<SessionEnd | ModemInitError> {
    const { options, channel } = this;
    if (options.signal.aborted) return 'stop';
    if (channel.isClosed) return 'lost';
    if (error instanceof ModemInitError && error.sim) {
      // One line on entering the state (the driver's "modem state" line, with cause and lock), no stack: expected.
      options.host.setState('not_initialized', error.sim.reason, error.sim);
      return error;
    }
    const message =
      error instanceof ModemInitError ? error.message : `initialisation failed: ${(error as Error).message}`;
    options.logger.warn(
      error instanceof ModemInitError ? { error: error.message } : { err: error },
      'modem initialisation failed',
    );
    options.host.setState('not_initialized', message);
    // A modem that keeps timing out during init is stuck, not slow: climb to the reset rung.
    if (isAtError(error, 'timeout') && ++options.memory.timeouts >= 3) {
      options.memory.timeouts = 0;
      options.logger.error(
        { command: options.host.quirks().resetCommand },
        'initialisation keeps timing out: resetting the modem',
      );
      await channel.run(options.host.quirks().resetCommand, { timeoutMs: 5000 }).catch(() => {});
    }
    return 'init-failed';
  }

  /**
   * The SIM is blocked (sim-block.ts): recheck it (AT+CPIN?, the tries left, the PIN if a new one was configured)
   * after a pause doubling from simRecheckMinMs to simRecheckMaxMs, or at once on a `recheck` event (a reload).
   * Only a change of cause, lock or tries left reaches the state; an unblocked SIM returns to a full init.
   */
  private async whileSimBlocked(first: SimBlock): Promise<SessionEnd | undefined> {
    const { options, channel } = this;
    let current = first;
    let pause = options.timing.simRecheckMinMs;
    for (;;) {
      const due = options.clock.now() + pause;
      pause = Math.min(pause * 2, options.timing.simRecheckMaxMs);
      for (let now = options.clock.now(); now < due; now = options.clock.now()) {
        const event = await this.events.next(due - now);
        if (options.signal.aborted) return 'stop';
        if (channel.isClosed) return 'lost';
        if (event?.type === 'recheck') break;
      }
      try {
        await unlockSim({
          channel,
          clock: options.clock,
          pin: options.pin(),
          refusedPins: options.memory.refusedPins,
          simId: this.simId,
          readyTimeoutMs: options.timing.readyTimeoutMs,
          signal: options.signal,
        });
        return undefined;
      } catch (error) {
        if (!(error instanceof ModemInitError && error.sim)) {
          const end = await this.initFailed(error);
          return end instanceof ModemInitError ? undefined : end;
        }
        if (!sameSimBlock(error.sim, current)) options.host.setState('not_initialized', error.sim.reason, error.sim);
        current = error.sim;
      }
    }
  }

  /** Polls and sweeps on their intervals and takes the session's events until one ends the session or asks re-init. */
  private async supervise(): Promise<SessionEnd | 'reinit'> {
    const { options, channel } = this;
    let statusAt = options.clock.now() + options.timing.statusIntervalMs;
    for (;;) {
      if (options.signal.aborted) return 'stop';
      if (channel.isClosed) return 'lost';
      const now = options.clock.now();
      if (now >= statusAt) {
        statusAt = now + options.timing.statusIntervalMs;
        await options.host.refreshStatus(channel);
      }
      if (now >= this.cadence.dueAt) {
        this.cadence.started();
        options.receiver.sweepPeriodic();
      }
      const event = await this.events.next(Math.min(statusAt, this.cadence.dueAt) - options.clock.now());
      if (options.signal.aborted) return 'stop';
      if (channel.isClosed) return 'lost';
      switch (event?.type) {
        case 'reboot':
        case 'settings-lost':
          return 'reinit';
        case 'trouble':
          return this.resync();
        case 'consumer-retry':
          this.cadence.irregular(options.timing.consumerRetryMs);
          break;
        case 'anomaly':
          if (this.cadence.relaxed)
            options.logger.info({ reason: event.reason }, 'sweeping at the short interval again');
          this.cadence.irregular();
          break;
        case 'sweep-done':
          this.cadence.finished(event.outcome);
          break;
        case 'notice-worked':
          this.cadence.noticeWorked();
          break;
        default:
          break;
      }
    }
  }

  /** The modem stopped answering: re-sync and re-init, or the vendor reset and a reopen. */
  private async resync(): Promise<SessionEnd | 'reinit'> {
    const { options, channel } = this;
    options.host.setState('degraded', 'modem stopped answering; re-syncing');
    try {
      if (await syncModem(channel, options.clock, 4, options.signal, this.maxProbeMs())) return 'reinit';
      options.logger.error({ command: options.host.quirks().resetCommand }, 'modem does not answer: resetting it');
      await channel
        .run(options.host.quirks().resetCommand, {
          timeoutMs: Math.min(15_000, options.timing.commandTimeoutMs ?? 15_000),
        })
        .catch(() => {});
    } catch {
      // port gone or stopping: handled by the caller
    }
    if (options.signal.aborted) return 'stop';
    return channel.isClosed ? 'lost' : 'reopen';
  }

  private maxProbeMs(): number {
    return Math.min(8000, this.options.timing.commandTimeoutMs ?? 8000);
  }
}
