import { EventEmitter } from 'node:events';
import type { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import type { Transport, TransportFactory } from '../at/transport.js';
import { UrcRegistry } from '../at/urc-registry.js';
import { decodePdu, type EncodedPart } from '../sms/index.js';
import type { Clock } from '../util/clock.js';
import { emitIsolated } from '../util/emit.js';
import type { Logger } from '../util/logger.js';
import { BootLines } from './boot-lines.js';
import { type ConsoleQuery, consoleQueriesOf, runConsoleCommand } from './console-command.js';
import type { InitResult } from './init.js';
import { NetworkWatch } from './network-watch.js';
import { generic, type ModemProfileName, type ModemQuirks } from './quirks/index.js';
import { Receiver } from './receiver.js';
import { ReopenBackoff } from './reopen-backoff.js';
import { sendPart, validateParts } from './send.js';
import { SendError, toSendError } from './send-error.js';
import { type InitMemory, ModemSession, type SessionEnd, type SessionHost } from './session.js';
import { type RefusedPinSet, RefusedPins, type SimBlock, sameSimBlock } from './sim-block.js';
import { DEFAULT_TIMING, type ModemTiming } from './timing.js';
import {
  canSend,
  isInitialised,
  type MessageConsumer,
  type ModemIdentity,
  type ModemState,
  type ModemStatus,
  type ReceivedSms,
  type StorageStatus,
} from './types.js';
import { registerModemUrcs } from './urcs.js';
import { Wakeable } from './wake.js';

export interface ModemOptions {
  transportFactory: TransportFactory;
  clock: Clock;
  logger: Logger;
  consumer: MessageConsumer;
  pin?: string;
  /**
   * PINs the SIM refused, never sent again; pass the same one to the next driver (`modem/restart`) so it does not try
   * a refused PIN once more. Default: a fresh set.
   */
  refusedPins?: RefusedPinSet;
  storage?: 'auto' | 'SM' | 'ME' | 'MT';
  profile?: ModemProfileName;
  timing?: Partial<ModemTiming>;
  /** The PDU decoder; src/sms decodePdu unless a test swaps it. */
  decode?: typeof decodePdu;
}

export interface ModemEventMap {
  state: [{ state: ModemState; previous: ModemState; reason: string | null }];
  status: [ModemStatus];
  /** A received PDU the codec could not decode; it is still handed to the consumer (as raw hex) and then deleted. */
  undecodable: [ReceivedSms];
}

/** Settings that look lost re-initialise at most this often, so an odd answer format cannot keep us re-initialising. */
const SETTINGS_REINIT_MIN_INTERVAL_MS = 60_000;

/**
 * The modem driver: opens the port, syncs, initialises, receives and sends, and climbs its recovery ladder forever
 * (ARCHITECTURE.md invariant 4): consecutive timeouts → re-sync and re-init; re-sync fails → vendor reset
 * (+CFUN=1,1) and reopen; port closed (unplug) → reopen with backoff until the device returns; reboot seen (RDY,
 * +CPIN/SMS-ready after the fact) → re-init and sweep. Each open port is one ModemSession (session.ts); this class
 * keeps what outlives sessions (state, status, the receiver, what init learnt) and runs one session after another.
 */
export class Modem extends EventEmitter<ModemEventMap> {
  private readonly timing: ModemTiming;
  private readonly log: Logger;
  private readonly urcs = new UrcRegistry();
  private readonly receiver: Receiver;
  private readonly abort = new AbortController();
  /**
   * The reopen pause between two sessions: only stop() cuts it short. (A session's own wakeups — its channel
   * closing among them — must not: a latched one made the pause after a failed init no pause at all.)
   */
  private readonly betweenSessions: Wakeable;
  private readonly bootLines = new BootLines();
  private readonly initMemory: InitMemory;
  private readonly host: SessionHost;
  private session: ModemSession | undefined;
  private quirks: ModemQuirks = generic;
  private current: ModemState = 'disconnected';
  private reason: string | null = 'not started';
  /** The blocked SIM behind `not_initialized` (sim-block.ts), else null. */
  private sim: SimBlock | null = null;
  private pin: string | undefined;
  private identity: ModemIdentity = {
    manufacturer: null,
    model: null,
    revision: null,
    imei: null,
    imsi: null,
    iccid: null,
  };
  private readonly watch: NetworkWatch;
  private lastSettingsReinit = Number.NEGATIVE_INFINITY;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: ModemOptions) {
    super();
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.log = options.logger;
    this.betweenSessions = new Wakeable(options.clock);
    this.pin = options.pin;
    this.watch = new NetworkWatch(options.clock);
    this.initMemory = { refusedPins: options.refusedPins ?? new RefusedPins(), timeouts: 0 };
    this.receiver = new Receiver({
      consumer: options.consumer,
      logger: options.logger,
      decode: options.decode ?? decodePdu,
      onUndecodable: (sms) => this.undecodable(sms),
      onConsumerFailure: () => this.session?.events.push({ type: 'consumer-retry' }),
      onAnomaly: (reason) => this.session?.events.push({ type: 'anomaly', reason }),
      onSweepDone: (outcome) => this.session?.events.push({ type: 'sweep-done', outcome }),
      onNoticeWorked: () => this.session?.events.push({ type: 'notice-worked' }),
      onChannelTrouble: () => this.session?.noteTrouble(),
      onStorage: (storage) => this.storageRead(storage),
      onSettingsLost: (why) => this.settingsLost(why),
    });
    registerModemUrcs(this.urcs, {
      logger: options.logger,
      onStorageNotice: (memory, index) => this.storageNotice(memory, index),
      onDirect: (pdu, length) => this.receiver.direct(pdu, length),
      onRegistration: (registration, domain) => {
        this.watch.registrationChanged(registration, domain);
        if (isInitialised(this.current)) this.updateReadiness();
        this.safeEmit('status', this.status());
      },
      onSignal: (signal) => {
        this.watch.signalChanged(signal);
        this.safeEmit('status', this.status());
      },
      onReboot: (line, kind) => this.bootLineSeen(line, kind),
      onStorageFull: () => this.receiver.sweepAfter('storage full'),
    });
    this.host = {
      quirks: () => this.quirks,
      setState: (state, reason, sim) => this.setState(state, reason, sim ?? null),
      identified: (identity, quirks) => this.identified(identity, quirks),
      initialised: (init) => this.initialised(init),
      refreshStatus: (channel) => this.refreshStatus(channel),
    };
  }

  get state(): ModemState {
    return this.current;
  }

  status(): ModemStatus {
    return {
      state: this.current,
      reason: this.reason,
      cause: this.sim?.cause ?? null,
      sim_lock: this.sim?.sim_lock ? { ...this.sim.sim_lock } : null,
      identity: { ...this.identity },
      network: this.watch.network,
      network_read_at: this.watch.networkReadAt,
      storage: this.watch.storage,
      profile: this.quirks.name,
    };
  }

  /** Starts the run loop; it only ends with stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('modem stopped'));
    this.session?.events.push({ type: 'wake' });
    this.betweenSessions.wake();
    this.session?.channel.close();
    await this.loop;
  }

  /**
   * The config was reloaded: a changed PIN is used from the next SIM check on (a refused one is still never sent),
   * and a blocked SIM is rechecked now rather than at its next slow recheck.
   */
  reloaded(pin: string | undefined): void {
    this.pin = pin;
    this.session?.events.push({ type: 'recheck' });
  }

  /** Asks for a storage sweep now (e.g. from a bridge request). */
  sweep(reason = 'requested'): void {
    this.receiver.sweep(reason);
  }

  /** Resolves when no receive work is queued or running (tests, benchmarks, graceful stop). */
  receiveIdle(): Promise<void> {
    return this.receiver.idle();
  }

  /** The read-only vendor queries of the modem's quirks, which the console may run (console-command.ts). */
  consoleQueries(): ConsoleQuery[] {
    return consoleQueriesOf(this.quirks);
  }

  /** One raw AT line for the technician's console, on the driver's own channel (console-command.ts). */
  runCommand(command: string, options: { timeoutMs?: number; prefix?: string } = {}): Promise<{ lines: string[] }> {
    const notOpen = `modem is ${this.current}: ${this.reason ?? 'port not open'}`;
    return runConsoleCommand(this.session?.channel, notOpen, command, options);
  }

  /**
   * Sends already-encoded parts with +CMGS, one after another; resolves with their message references. Fails with a
   * SendError saying whether a retry can help (`transient`) and whether the failed part may have gone out anyway.
   */
  async send(parts: readonly EncodedPart[]): Promise<{ message_references: number[] }> {
    validateParts(parts);
    const refs: number[] = [];
    let pduModeChecked = false;
    for (const [i, part] of parts.entries()) {
      const channel = this.session?.channel;
      if (!channel || !canSend(this.current)) {
        throw new SendError(`part ${i + 1}: modem is ${this.current}`, {
          classification: 'transient',
          part: i,
          message_references: refs,
          maybe_sent: false,
        });
      }
      const timeoutMs = Math.min(this.quirks.sendTimeoutMs, this.timing.commandTimeoutMs ?? Number.POSITIVE_INFINITY);
      try {
        // A modem that rebooted without telling us is back in its default mode; in text mode `AT+CMGS=<n>` would send
        // the PDU's hex digits as text to the number <n>. Cheap insurance: PDU mode before every message.
        if (!pduModeChecked) {
          await channel.run('AT+CMGF=0');
          pduModeChecked = true;
        }
        refs.push(await sendPart(channel, part, timeoutMs));
      } catch (error) {
        if (isAtError(error, 'timeout') || isAtError(error, 'disconnected')) this.session?.noteTrouble();
        throw toSendError(error, i, [...refs]);
      }
    }
    return { message_references: refs };
  }

  /** One session after another, with the reopen pause between them, until stop(). */
  private async run(): Promise<void> {
    const backoff = new ReopenBackoff(this.timing.reopenMinMs, this.timing.reopenMaxMs);
    while (!this.abort.signal.aborted) {
      const transport = this.options.transportFactory();
      let end: SessionEnd = 'lost';
      let session: ModemSession | undefined;
      try {
        await transport.open();
        session = this.openSession(transport);
        end = await session.run();
      } catch (error) {
        this.setState('disconnected', `cannot open ${transport.description}: ${(error as Error).message}`);
      }
      this.session = undefined;
      await transport.close().catch(() => {});
      if (this.abort.signal.aborted) break;
      if (end === 'lost' && session) this.setState('disconnected', `${transport.description}: port closed; reopening`);
      // The session and its channel are gone: whatever it ended in, nothing can be sent until the next one is
      // initialised (the reset after a modem stopped answering ends here as `reopen`).
      else if (isInitialised(this.current))
        this.setState('not_initialized', `${this.reason ?? 'session ended'}; reopening`);
      await this.betweenSessions.wait(
        backoff.after({ initialised: session?.initialised ?? false, reset: end === 'reopen' }),
      );
    }
    this.setState('disconnected', 'stopped');
  }

  private openSession(transport: Transport): ModemSession {
    const session = new ModemSession({
      transport,
      clock: this.options.clock,
      logger: this.log,
      urcs: this.urcs,
      timing: this.timing,
      receiver: this.receiver,
      bootLines: this.bootLines,
      memory: this.initMemory,
      host: this.host,
      pin: () => this.pin,
      storage: this.options.storage ?? 'auto',
      profile: this.options.profile ?? 'auto',
      signal: this.abort.signal,
    });
    this.session = session;
    return session;
  }

  /** Read before the SIM check: modem/state shows it while the SIM is blocked. */
  private identified(identity: ModemIdentity, quirks: ModemQuirks): void {
    this.identity = identity;
    this.quirks = quirks;
    this.safeEmit('status', this.status());
  }

  private initialised(init: InitResult): void {
    this.quirks = init.quirks;
    this.identity = init.identity;
    this.watch.initialised(init);
  }

  private async refreshStatus(channel: AtChannel): Promise<void> {
    try {
      await this.watch.poll(channel);
      this.safeEmit('status', this.status());
    } catch (error) {
      this.log.warn({ err: error }, 'status poll failed');
      if (isAtError(error, 'timeout')) this.session?.noteTrouble();
    }
    // Right after init (initializing) and on every poll of an initialised modem: ready or degraded, and why.
    if (this.current === 'initializing' || isInitialised(this.current)) this.updateReadiness();
  }

  private undecodable(sms: ReceivedSms): void {
    this.log.warn({ pdu: sms.pdu, error: sms.decode_error }, 'undecodable PDU: handing it over as raw hex');
    this.safeEmit('undecodable', sms);
  }

  private storageRead(storage: StorageStatus): void {
    this.watch.storageRead(storage);
    // A sweep that emptied a full storage ends the "storage full" degradation now, not at the next status poll
    // (60 s later), so modem/state never says "full" beside a storage of 0 used.
    if (isInitialised(this.current)) this.updateReadiness();
  }

  /**
   * +CMTI/+CDSI. While the storage is known full, a new message means room was made (someone deleted messages, or
   * the network's retry found a slot): sweeping reads it and re-reads the usage, so the "storage full" degradation
   * ends now rather than at the next status poll.
   */
  private storageNotice(memory: string, index: number): void {
    this.receiver.notify(memory, index);
    if (this.watch.storageFull()) this.receiver.sweep('a message arrived in a full storage');
  }

  private settingsLost(why: string): void {
    const now = this.options.clock.now();
    if (now - this.lastSettingsReinit < SETTINGS_REINIT_MIN_INTERVAL_MS) return;
    this.lastSettingsReinit = now;
    this.log.warn({ why }, 'modem settings look lost: re-initialising');
    this.session?.events.push({ type: 'settings-lost' });
  }

  private bootLineSeen(line: string, kind: Parameters<BootLines['isNewBoot']>[1]): void {
    const newBoot = this.bootLines.isNewBoot(line, kind, this.options.clock.now());
    if (this.sim) {
      // The blocked SIM changed (+CPIN: READY after an unlock by hand, a SIM inserted, a reboot): look now rather
      // than at the next slow recheck.
      this.session?.events.push({ type: 'recheck' });
      return;
    }
    if (!isInitialised(this.current)) return;
    if (!newBoot) {
      // The tail of the boot we just initialised (Quectel's +QIND: SMS DONE / PB DONE come seconds after the
      // modem already answers SMS commands), not a new boot.
      this.log.debug({ line }, 'late boot line of the start-up we initialised');
      return;
    }
    this.log.warn({ line }, 'modem rebooted: re-initialising');
    this.session?.events.push({ type: 'reboot' });
    // The rebooted firmware will never answer the command in flight: fail it now rather than after its deadline
    // (up to a minute for +CMGS). The receiver first stops taking work, so its next queued read does not take the
    // freed channel and wait out a deadline of its own; re-init sweeps whatever was left.
    void this.receiver.detach();
    this.session?.channel.abortInFlight('modem rebooted');
  }

  private updateReadiness(): void {
    const { state, reason } = this.watch.readiness();
    this.setState(state, reason);
  }

  private setState(state: ModemState, reason: string | null, sim: SimBlock | null = null): void {
    if (state === this.current && reason === this.reason && sameSimBlock(sim, this.sim)) return;
    const previous = this.current;
    this.current = state;
    this.reason = reason;
    this.sim = sim;
    if (sim) this.log.warn({ state, previous, cause: sim.cause, sim_lock: sim.sim_lock, reason }, 'modem state');
    else this.log.info({ state, previous, reason }, 'modem state');
    this.safeEmit('state', { state, previous, reason });
  }

  private safeEmit<K extends keyof ModemEventMap>(event: K, ...args: ModemEventMap[K]): void {
    emitIsolated(this, event, args, (error) => this.log.error({ err: error, event }, 'modem event listener threw'));
  }
}
