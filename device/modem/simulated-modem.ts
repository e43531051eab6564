import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import { emitIsolated } from '../../src/util/emit.js';
import type { LogEntry } from './at-log.js';
import { AtSession } from './at-session.js';
import type { SimulatedCell } from './cell.js';
import { commandTable } from './commands/index.js';
import type { CommandTable } from './commands/types.js';
import type { ModemFaults } from './faults.js';
import type { SentSms } from './mo-submit.js';
import { ModemCore, type PowerState, type SimulatedModemOptions } from './modem-core.js';
import type { InjectedPart, InjectRequest } from './mt-delivery.js';
import type { ProfileName } from './profiles.js';
import type { StorageSnapshot } from './sms-storage.js';

export interface ModemState {
  profile: ProfileName;
  power: PowerState;
  sms_ready: boolean;
  sim: 'ready' | 'pin_required' | 'puk_required' | 'blocked' | 'not_ready';
  cfun: number;
  registration: number;
  operator: string | null;
  rssi: number;
  identity: { manufacturer: string; model: string; revision: string; imei: string; imsi: string; iccid: string };
  settings: { echo: boolean; cmee: number; cmgf: number; cpms: string[]; cnmi: number[]; csms: number };
  held_by_network: number;
  connections: number;
  faults: ModemFaults;
}

export interface ModemEvents {
  /** An MO SMS went out (after +CMGS/+CMSS answered). */
  sent: [SentSms];
  /** An MT message was stored in a memory (and +CMTI shown if +CNMI asks for it). */
  stored: [{ memory: string; index: number; pdu: string }];
  /** An MT message was routed to the TE with +CMT. */
  routed: [{ pdu: string }];
  /** Power-on or reboot started / SMS became usable. */
  boot: [{ profile: ProfileName }];
  sms_ready: [Record<string, never>];
  /** Any other state change, by name (registration, faults, deleted, mt_held, status_report, ...). */
  change: [{ name: string; payload: unknown }];
}

/**
 * A cellular modem in software: the AT command set of 3GPP TS 27.007/27.005 with vendor dialects, SMS storage, a
 * simulated network and run-time faults. One instance keeps its state across connections, as a real modem keeps it
 * across port opens; `connect()` gives a byte stream to talk AT over (a pty or TCP transport pipes into it).
 */
export class SimulatedModem extends EventEmitter<ModemEvents> {
  private readonly core: ModemCore;
  private readonly commands: CommandTable;
  private readonly sessions = new Set<AtSession>();

  constructor(options: SimulatedModemOptions = {}) {
    super();
    this.core = new ModemCore(options, {
      urc: (lines) => {
        for (const session of this.sessions) session.urc(lines);
      },
      event: (name, payload) => this.onCoreEvent(name, payload),
    });
    this.commands = commandTable(this.core.profile);
    this.core.powerOn();
  }

  private onCoreEvent(name: string, payload: unknown): void {
    if (name === 'reset_requested') {
      this.reboot();
      return;
    }
    if (name === 'boot') for (const session of this.sessions) session.reset();
    // A throwing listener must not break the modem (STYLE.md: log, never crash the emitter), nor keep the others
    // from hearing the event.
    const onError = (error: unknown) => this.core.record('event', `listener of ${name} threw: ${String(error)}`);
    if (name === 'sent' || name === 'stored' || name === 'routed' || name === 'boot' || name === 'sms_ready')
      emitIsolated(this, name, [payload], onError);
    emitIsolated(this, 'change', [{ name, payload }], onError);
  }

  /** A new connection (like opening the serial port). Bytes written are AT input; bytes read are the modem's output. */
  connect(): Duplex {
    let session: AtSession | undefined;
    const stream = new Duplex({
      read() {},
      write: (chunk: Buffer, _encoding, callback) => {
        session?.receive(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
        callback();
      },
      final(callback) {
        callback();
      },
      destroy: (error, callback) => {
        if (session) {
          session.close();
          this.sessions.delete(session);
        }
        callback(error);
      },
    });
    session = new AtSession(this.core, this.commands, (data) => stream.push(data));
    this.sessions.add(session);
    stream.on('finish', () => stream.destroy());
    return stream;
  }

  /** Delivers an MT SMS from the network (split into parts when long). */
  injectSms(request: InjectRequest): InjectedPart[] {
    return this.core.mt.inject(request);
  }

  /** MO messages sent so far, oldest first. */
  sent(): SentSms[] {
    return this.core.mo.sent.map((sms) => ({ ...sms }));
  }

  storage(): StorageSnapshot[] {
    return this.core.storage.snapshot();
  }

  faults(): ModemFaults {
    return structuredClone(this.core.faults);
  }

  /** Changes faults at run time; throws FaultSpecError for an unknown or invalid one. */
  setFaults(update: Partial<ModemFaults> | Record<string, unknown>): ModemFaults {
    return structuredClone(this.core.setFaults(update as Record<string, unknown>));
  }

  /** The serving cell the modem reports (cell.ts). */
  cell(): SimulatedCell {
    return { ...this.core.cell };
  }

  /** Moves the modem to another cell or changes what it measures; throws CellSpecError for an unknown or bad field. */
  setCell(update: Partial<SimulatedCell> | Record<string, unknown>): SimulatedCell {
    return { ...this.core.radio.setCell(update as Record<string, unknown>) };
  }

  /** Starts (an address) or ends (null) the data session the OS would bring up: what +CGACT?/+CGPADDR report. */
  setDataSession(address: string | null): void {
    this.core.radio.setDataSession(address);
  }

  state(): ModemState {
    const core = this.core;
    const simError = core.simError();
    const sim = core.sim.unlocked
      ? simError === undefined
        ? 'ready'
        : 'not_ready'
      : core.sim.pinTriesLeft > 0
        ? 'pin_required'
        : core.sim.pukTriesLeft > 0
          ? 'puk_required'
          : 'blocked';
    return {
      profile: core.profile.name,
      power: core.power,
      sms_ready: core.smsReady,
      sim,
      cfun: core.cfun,
      registration: core.registrationStat(),
      operator: core.isRegistered() ? core.operator : null,
      rssi: core.rssi(),
      identity: {
        manufacturer: core.profile.manufacturer,
        model: core.profile.model,
        revision: core.profile.revision,
        ...core.identity,
      },
      settings: {
        echo: core.settings.echo,
        cmee: core.settings.cmee,
        cmgf: core.settings.cmgf,
        cpms: [...core.settings.cpms],
        cnmi: [...core.settings.cnmi],
        csms: core.settings.csms,
      },
      held_by_network: core.mt.held.length,
      connections: this.sessions.size,
      faults: structuredClone(core.faults),
    };
  }

  /** The AT dialogue in both directions and notable events, timestamped; entries after `since` (a seq) only. */
  log(since = 0): LogEntry[] {
    return this.core.log(since);
  }

  /** Restarts the firmware: settings back to defaults, boot URCs again; stored SMS survive (they are on the SIM/flash). */
  reboot(): void {
    this.core.powerOff();
    this.core.powerOn();
  }

  /** USB unplug cuts the modem's power; plugging it back in boots it again (state on SIM/flash survives). */
  setUnplugged(unplugged: boolean): void {
    if (unplugged) {
      this.core.powerOff();
      this.core.event('unplugged', {});
    } else if (this.core.power === 'off') {
      this.core.powerOn();
    }
  }

  /** Whether the modem is up and, where the profile says so, ready for SMS. */
  isReady(): boolean {
    return this.core.power === 'on' && this.core.smsReady;
  }

  /** Resolves once the modem is ready for SMS (see isReady); rejects after `timeoutMs`. */
  whenReady(timeoutMs = 5000): Promise<void> {
    return this.whenChange(() => this.isReady(), 'ready for SMS', timeoutMs);
  }

  /** Resolves once the firmware is up and answering AT (a PIN-locked modem gets no further); rejects after `timeoutMs`. */
  whenPoweredOn(timeoutMs = 5000): Promise<void> {
    return this.whenChange(() => this.core.power === 'on', 'powered on', timeoutMs);
  }

  private whenChange(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('change', onChange);
        reject(new Error(`simulated modem not ${what} within ${timeoutMs} ms (power ${this.core.power})`));
      }, timeoutMs);
      const onChange = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.off('change', onChange);
        resolve();
      };
      this.on('change', onChange);
    });
  }

  /** Stops timers; the instance is unusable afterwards. */
  dispose(): void {
    this.core.powerOff();
    for (const session of this.sessions) session.close();
    this.sessions.clear();
  }
}
