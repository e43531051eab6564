import { EventEmitter } from 'node:events';
import { AtChannel } from '../at/channel.js';
import { isAtError } from '../at/errors.js';
import type { Transport, TransportFactory } from '../at/transport.js';
import { UrcRegistry } from '../at/urc-registry.js';
import { decodePdu, type EncodedPart } from '../sms/index.js';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/logger.js';
import { BootLines } from './boot-lines.js';
import { initializeModem, ModemInitError, syncModem } from './init.js';
import { isRegistered } from './parsers/network.js';
import { generic, type ModemProfileName, type ModemQuirks } from './quirks/index.js';
import { Receiver } from './receiver.js';
import { sendPart, validateParts } from './send.js';
import { SendError, toSendError } from './send-error.js';
import { pollNetwork, pollStorage } from './status.js';
import { DEFAULT_TIMING, type ModemTiming } from './timing.js';
import {
  canSend,
  isInitialised,
  type MessageConsumer,
  type ModemIdentity,
  type ModemState,
  type ModemStatus,
  type NetworkStatus,
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

type SessionEnd = 'lost' | 'reinit' | 'reopen' | 'stop' | 'init-failed';

/**
 * The modem driver: opens the port, syncs, initialises, receives and sends, and climbs its recovery ladder forever
 * (ARCHITECTURE.md invariant 4): consecutive timeouts → re-sync and re-init; re-sync fails → vendor reset
 * (+CFUN=1,1) and reopen; port closed (unplug) → reopen with backoff until the device returns; reboot seen (RDY,
 * +CPIN/SMS-ready after the fact) → re-init and sweep.
 */
export class Modem extends EventEmitter<ModemEventMap> {
  private readonly timing: ModemTiming;
  private readonly log: Logger;
  private readonly urcs = new UrcRegistry();
  private readonly receiver: Receiver;
  private readonly wakeable: Wakeable;
  /**
   * The reopen pause between two sessions: only stop() cuts it short. (The session's own wakeups — its channel
   * closing among them — must not: a latched one made the pause after a failed init no pause at all.)
   */
  private readonly betweenSessions: Wakeable;
  private readonly abort = new AbortController();
  private channel: AtChannel | undefined;
  private quirks: ModemQuirks = generic;
  private current: ModemState = 'disconnected';
  private reason: string | null = 'not started';
  private identity: ModemIdentity = {
    manufacturer: null,
    model: null,
    revision: null,
    imei: null,
    imsi: null,
    iccid: null,
  };
  private network: NetworkStatus = {
    registration: null,
    operator: null,
    access_technology: null,
    signal: { rssi_dbm: null, quality: 'none' },
  };
  private storage: StorageStatus = { memory: null, used: null, total: null };
  private rebootSeen = false;
  private readonly bootLines = new BootLines();
  private initTimeouts = 0;
  private pinRejected = false;
  private lastSettingsReinit = Number.NEGATIVE_INFINITY;
  /** The current session initialised the modem at least once (resets the reopen backoff). */
  private initialised = false;
  private trouble = false;
  private sweepAt = 0;
  private loop: Promise<void> | undefined;

  constructor(private readonly o: ModemOptions) {
    super();
    this.timing = { ...DEFAULT_TIMING, ...o.timing };
    this.log = o.logger;
    this.wakeable = new Wakeable(o.clock);
    this.betweenSessions = new Wakeable(o.clock);
    this.receiver = new Receiver({
      consumer: o.consumer,
      logger: o.logger,
      decode: o.decode ?? decodePdu,
      onUndecodable: (sms) => {
        this.log.warn({ pdu: sms.pdu, error: sms.decode_error }, 'undecodable PDU: handing it over as raw hex');
        this.safeEmit('undecodable', sms);
      },
      onConsumerFailure: () => {
        this.sweepAt = Math.min(this.sweepAt, o.clock.now() + this.timing.consumerRetryMs);
        this.wakeable.wake();
      },
      onChannelTrouble: () => this.noteTrouble(),
      onStorage: (s) => {
        this.storage = s;
        // A sweep that emptied a full storage ends the "storage full" degradation now, not at the next status poll
        // (60 s later), so modem/state never says "full" beside a storage of 0 used.
        if (isInitialised(this.current)) this.updateReadiness();
      },
      onSettingsLost: (why) => {
        // At most once a minute, so a modem with an odd answer format cannot keep us re-initialising.
        if (o.clock.now() - this.lastSettingsReinit < 60_000) return;
        this.lastSettingsReinit = o.clock.now();
        this.log.warn({ why }, 'modem settings look lost: re-initialising');
        this.rebootSeen = true;
        this.wakeable.wake();
      },
    });
    registerModemUrcs(this.urcs, {
      logger: o.logger,
      onStorageNotice: (memory, index) => this.receiver.notify(memory, index),
      onDirect: (pdu, length) => this.receiver.direct(pdu, length),
      onRegistration: (r) => {
        this.network = { ...this.network, registration: r };
        if (isInitialised(this.current)) this.updateReadiness();
      },
      onReboot: (line, kind) => {
        const newBoot = this.bootLines.isNewBoot(line, kind, o.clock.now());
        if (!isInitialised(this.current)) return;
        if (!newBoot) {
          // The tail of the boot we just initialised (Quectel's +QIND: SMS DONE / PB DONE come seconds after the
          // modem already answers SMS commands), not a new boot.
          this.log.debug({ line }, 'late boot line of the start-up we initialised');
          return;
        }
        this.log.warn({ line }, 'modem rebooted: re-initialising');
        this.rebootSeen = true;
        // The rebooted firmware will never answer the command in flight: fail it now rather than after its deadline
        // (up to a minute for +CMGS). The receiver first stops taking work, so its next queued read does not take the
        // freed channel and wait out a deadline of its own; re-init sweeps whatever was left.
        void this.receiver.detach();
        this.channel?.abortInFlight('modem rebooted');
        this.wakeable.wake();
      },
      onStorageFull: () => this.receiver.sweep('storage full'),
    });
  }

  get state(): ModemState {
    return this.current;
  }

  status(): ModemStatus {
    return {
      state: this.current,
      reason: this.reason,
      identity: { ...this.identity },
      network: { ...this.network },
      storage: { ...this.storage },
      profile: this.quirks.name,
    };
  }

  /** Starts the run loop; it only ends with stop(). */
  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('modem stopped'));
    this.wakeable.wake();
    this.betweenSessions.wake();
    this.channel?.close();
    await this.loop;
  }

  /** Asks for a storage sweep now (e.g. from a bridge request). */
  sweep(reason = 'requested'): void {
    this.receiver.sweep(reason);
  }

  /** Resolves when no receive work is queued or running (tests, benchmarks, graceful stop). */
  receiveIdle(): Promise<void> {
    return this.receiver.idle();
  }

  /**
   * Runs one raw AT command on the driver's own channel — single-flight with init, sweeps and sends, never a second
   * opener of the port — and resolves with its intermediate lines (AtError on ERROR/+CME/+CMS/timeout). For the
   * technician console through the daemon (src/daemon/at-action.ts), which applies the allow-list; this refuses what
   * could derail the channel itself: anything but one printable `AT…` line. CR or LF would end the command early and
   * start another, Ctrl-Z or ESC would close or cancel an SMS input mode (3GPP TS 27.005 §3.5.1).
   */
  async runCommand(
    command: string,
    options: { timeoutMs?: number; prefix?: string } = {},
  ): Promise<{ lines: string[] }> {
    if (typeof command !== 'string' || !/^AT[\x20-\x7e]{0,254}$/i.test(command)) {
      throw new RangeError(
        `not a single AT command line (AT…, printable ASCII, no CR/LF/Ctrl-Z/ESC, ≤ 256 characters)`,
      );
    }
    const channel = this.channel;
    if (!channel || channel.isClosed) {
      throw new Error(`modem is ${this.current}: ${this.reason ?? 'port not open'}`);
    }
    // With `prefix` (`+CREG:` for AT+CREG?) the answer is never taken for the driver's own URC of that name, which
    // would otherwise swallow it and feed "+CREG: 0,1" (n,stat) to the registration URC parser (stat[,lac,ci]).
    const { lines } = await channel.run(command, {
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
    return { lines };
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
      const channel = this.channel;
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
        if (isAtError(error, 'timeout') || isAtError(error, 'disconnected')) this.noteTrouble();
        throw toSendError(error, i, [...refs]);
      }
    }
    return { message_references: refs };
  }

  private async run(): Promise<void> {
    let backoff = this.timing.reopenMinMs;
    while (!this.abort.signal.aborted) {
      const transport = this.o.transportFactory();
      let end: SessionEnd = 'lost';
      let opened = false;
      this.initialised = false;
      try {
        await transport.open();
        opened = true;
        end = await this.session(transport);
      } catch (error) {
        this.setState('disconnected', `cannot open ${transport.description}: ${(error as Error).message}`);
      }
      await transport.close().catch(() => {});
      if (this.abort.signal.aborted) break;
      // A session that got as far as a working modem starts the backoff again from the bottom.
      if (this.initialised || end === 'reopen') backoff = this.timing.reopenMinMs;
      if (end === 'lost' && opened) this.setState('disconnected', `${transport.description}: port closed; reopening`);
      // The session and its channel are gone: whatever it ended in, nothing can be sent until the next one is
      // initialised (the reset after a modem stopped answering ends here as `reopen`).
      else if (isInitialised(this.current))
        this.setState('not_initialized', `${this.reason ?? 'session ended'}; reopening`);
      await this.pause(backoff);
      if (end !== 'reopen') backoff = Math.min(backoff * 2, this.timing.reopenMaxMs);
    }
    this.setState('disconnected', 'stopped');
  }

  private async session(transport: Transport): Promise<SessionEnd> {
    const channel = new AtChannel({
      transport,
      clock: this.o.clock,
      logger: this.log,
      urcs: this.urcs,
      ...(this.timing.commandTimeoutMs ? { maxTimeoutMs: this.timing.commandTimeoutMs } : {}),
    });
    this.channel = channel;
    channel.onClose(() => this.wakeable.wake());
    try {
      // ESC leaves a text/PDU input mode a previous run may have left open (3GPP TS 27.005 §3.5.1).
      await transport.write('\x1b\r').catch(() => {});
      for (;;) {
        this.setState('initializing', null);
        await this.receiver.detach();
        this.trouble = false;
        this.rebootSeen = false;
        this.bootLines.initStarted();
        try {
          const init = await initializeModem({
            channel,
            clock: this.o.clock,
            logger: this.log,
            pin: this.o.pin,
            pinRejected: this.pinRejected,
            storage: this.o.storage ?? 'auto',
            profile: this.o.profile ?? 'auto',
            readyTimeoutMs: this.timing.readyTimeoutMs,
            maxProbeMs: this.maxProbeMs(),
            signal: this.abort.signal,
          });
          this.quirks = init.quirks;
          this.identity = init.identity;
          if (init.usage) this.storage = { memory: init.memory, used: init.usage.used, total: init.usage.total };
          this.receiver.attach(channel, init.memory, init.readableMemories);
          this.initTimeouts = 0;
          this.initialised = true;
          this.bootLines.initDone(this.o.clock.now());
        } catch (error) {
          if (this.abort.signal.aborted) return 'stop';
          if (channel.isClosed) return 'lost';
          const message =
            error instanceof ModemInitError ? error.message : `initialisation failed: ${(error as Error).message}`;
          if (error instanceof ModemInitError && error.pinRejected) this.pinRejected = true;
          this.log.warn({ err: error }, 'modem initialisation failed');
          this.setState('not_initialized', message);
          // A modem that keeps timing out during init is stuck, not slow: climb to the reset rung.
          if (isAtError(error, 'timeout') && ++this.initTimeouts >= 3) {
            this.initTimeouts = 0;
            this.log.error(
              { command: this.quirks.resetCommand },
              'initialisation keeps timing out: resetting the modem',
            );
            await channel.run(this.quirks.resetCommand, { timeoutMs: 5000 }).catch(() => {});
          }
          return 'init-failed';
        }
        await this.refreshStatus(channel);
        this.updateReadiness();
        this.receiver.sweep('initialised');
        this.sweepAt = this.o.clock.now() + this.timing.sweepIntervalMs;
        const end = await this.supervise(channel);
        if (end !== 'reinit') return end;
      }
    } finally {
      channel.close();
      await this.receiver.detach();
      this.channel = undefined;
    }
  }

  private async supervise(channel: AtChannel): Promise<SessionEnd> {
    let statusAt = this.o.clock.now() + this.timing.statusIntervalMs;
    for (;;) {
      if (this.abort.signal.aborted) return 'stop';
      if (channel.isClosed) return 'lost';
      if (this.rebootSeen) return 'reinit';
      if (this.trouble) {
        this.trouble = false;
        this.setState('degraded', 'modem stopped answering; re-syncing');
        try {
          if (await syncModem(channel, this.o.clock, 4, this.abort.signal, this.maxProbeMs())) return 'reinit';
          this.log.error({ command: this.quirks.resetCommand }, 'modem does not answer: resetting it');
          await channel
            .run(this.quirks.resetCommand, { timeoutMs: Math.min(15_000, this.timing.commandTimeoutMs ?? 15_000) })
            .catch(() => {});
        } catch {
          // port gone or stopping: handled at the top of the loop
        }
        return channel.isClosed ? 'lost' : 'reopen';
      }
      const now = this.o.clock.now();
      if (now >= statusAt) {
        statusAt = now + this.timing.statusIntervalMs;
        await this.refreshStatus(channel);
        if (isInitialised(this.current)) this.updateReadiness();
      }
      if (now >= this.sweepAt) {
        this.sweepAt = now + this.timing.sweepIntervalMs;
        this.receiver.sweep('periodic');
      }
      await this.wakeable.wait(Math.min(statusAt, this.sweepAt) - this.o.clock.now());
    }
  }

  private async refreshStatus(channel: AtChannel): Promise<void> {
    try {
      this.network = await pollNetwork(channel);
      const receive = await pollStorage(channel);
      if (receive) {
        this.storage = { memory: receive.memory ?? this.storage.memory, used: receive.used, total: receive.total };
        // FACTS.md: a full storage stops +CMTI silently; the sweep empties it.
        if (receive.total > 0 && receive.used >= receive.total) this.receiver.sweep('storage full');
      }
      this.safeEmit('status', this.status());
    } catch (error) {
      this.log.warn({ err: error }, 'status poll failed');
      if (isAtError(error, 'timeout')) this.noteTrouble();
    }
  }

  private maxProbeMs(): number {
    return Math.min(8000, this.timing.commandTimeoutMs ?? 8000);
  }

  private noteTrouble(): void {
    if (this.channel && this.channel.consecutiveTimeouts === 0 && !this.channel.isClosed) return;
    this.trouble = true;
    this.wakeable.wake();
  }

  private updateReadiness(): void {
    if (!isRegistered(this.network.registration ?? undefined)) {
      this.setState(
        'degraded',
        `not registered (${this.network.registration ?? 'unknown'}); receiving continues, sending will fail`,
      );
    } else if (this.storage.total && this.storage.used !== null && this.storage.used >= this.storage.total) {
      this.setState('degraded', `message storage ${this.storage.memory} is full`);
    } else this.setState('ready', null);
  }

  private setState(state: ModemState, reason: string | null): void {
    if (state === this.current && reason === this.reason) return;
    const previous = this.current;
    this.current = state;
    this.reason = reason;
    this.log.info({ state, previous, reason }, 'modem state');
    this.safeEmit('state', { state, previous, reason });
  }

  private pause(ms: number): Promise<void> {
    return this.betweenSessions.wait(ms);
  }

  private safeEmit<K extends keyof ModemEventMap>(event: K, ...args: ModemEventMap[K]): void {
    try {
      (this.emit as (e: K, ...a: ModemEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      this.log.error({ err: error, event }, 'modem event listener threw');
    }
  }
}
