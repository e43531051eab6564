import { AtLog, type LogEntry } from './at-log.js';
import type { SimulatedCell } from './cell.js';
import { type ModemFaults, mergeFaults, NO_FAULTS } from './faults.js';
import { MoSubmission } from './mo-submit.js';
import type {
  ClockAccess,
  CountedFault,
  FaultAccess,
  LogSink,
  ModemIdentity,
  RadioAccess,
  SettingsHolder,
  SimAccess,
  SimClock,
  StorageAccess,
  Timers,
  UrcSink,
} from './modem-host.js';
import { wallClock } from './modem-host.js';
import { MtDelivery } from './mt-delivery.js';
import { type ModemProfile, PROFILES, type ProfileName } from './profiles.js';
import { Radio } from './radio.js';
import { CommandFailed, cme, cms } from './result-codes.js';
import { type AtSettings, defaultSettings } from './settings.js';
import { SimCard } from './sim-card.js';
import { type MemoryName, SmsStorage } from './sms-storage.js';

export interface SimulatedModemOptions {
  profile?: ProfileName;
  iccid?: string;
  imei?: string;
  imsi?: string;
  /** SIM PIN; null or absent: the SIM is not PIN-locked. */
  pin?: string | null;
  /**
   * The simulator's time, its only one: the network time stamped into received SMS (TP-SCTS), fault deadlines, the
   * log and the storage times. Default: the wall clock.
   */
  simClock?: SimClock;
  /** The SIM's PUK, for unlocking it after three wrong PINs (default 12345678). */
  puk?: string;
  /** Memory capacities in messages. */
  storage?: { SM?: number; ME?: number; SR?: number };
  operator?: string;
  /** Registered on the home network (stat 1) or roaming (stat 5, usual for IoT SIMs). */
  roaming?: boolean;
  /** Service-centre address the modem reports in +CSCA and prefixes to received PDUs. */
  smsc?: string;
  /** Milliseconds from power-on to the first URCs (the modem ignores input before). */
  bootDelayMs?: number;
  /** Milliseconds from the first URCs to "SMS ready". */
  smsReadyDelayMs?: number;
  /** How long the network waits before retrying an MT message the modem could not take. */
  networkRetryMs?: number;
  /** Delay of a status report after a send that asked for one. */
  statusReportDelayMs?: number;
  /** How long the modem waits for +CNMA after +CMT before giving up (TS 27.005 §3.4.4). */
  cnmaTimeoutMs?: number;
  /** Most log entries kept. */
  logLimit?: number;
  /** The device's address on a data session (PDP context 1, +CGACT/+CGPADDR); absent or null: no data session. */
  pdpAddress?: string | null;
  /** The serving cell (cell.ts): MCC/MNC, LAC/TAC, cell id, band, EARFCN, RSRP/RSRQ/SINR; defaults DEFAULT_CELL. */
  cell?: Partial<SimulatedCell>;
}

/** What the core tells its owner (the SimulatedModem facade). */
interface CoreListener {
  urc(lines: string[]): void;
  event(name: string, payload: unknown): void;
}

export type PowerState = 'booting' | 'on' | 'off';

/**
 * The modem's state shared by all connections: identity, settings, SIM, storage, faults and timers, with the radio
 * (radio.ts: registration, signal, cell, data session) and the AT log (at-log.ts) as parts of their own. Its helpers
 * (command handlers, sessions, SMS delivery and submission) see it through the narrow interfaces of modem-host.ts and
 * change it only through their methods.
 */
export class ModemCore
  implements
    ClockAccess,
    ModemIdentity,
    SettingsHolder,
    FaultAccess,
    SimAccess,
    RadioAccess,
    UrcSink,
    LogSink,
    Timers,
    StorageAccess
{
  readonly profile: ModemProfile;
  readonly identity: { imei: string; imsi: string; iccid: string };
  readonly storage: SmsStorage;
  private current: AtSettings;
  private activeFaults: ModemFaults = { ...NO_FAULTS };
  private powerState: PowerState = 'off';
  private smsReadyReached = false;
  readonly sim: SimCard;
  private simNotReadyUntil = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly atLog: AtLog;
  readonly simClock: SimClock;
  readonly options: SimulatedModemOptions;
  /** Responses written with information lines, for the vendor "URC between lines" quirk. */
  private responsesWithInfo = 0;
  private noiseCount = 0;
  readonly mt: MtDelivery;
  readonly mo: MoSubmission;
  readonly radio: Radio;

  constructor(
    options: SimulatedModemOptions,
    private readonly listener: CoreListener,
  ) {
    this.options = options;
    this.profile = PROFILES[options.profile ?? 'generic'];
    this.identity = {
      imei: options.imei ?? '356938035643809',
      imsi: options.imsi ?? '310260000000001',
      iccid: options.iccid ?? '8901260000000000001',
    };
    this.simClock = options.simClock ?? wallClock;
    this.atLog = new AtLog(this.simClock, options.logLimit ?? 5000);
    this.storage = new SmsStorage({
      SM: options.storage?.SM ?? 30,
      ME: options.storage?.ME ?? 100,
      SR: options.storage?.SR ?? 20,
    });
    this.sim = new SimCard(options.pin ?? null, options.puk ?? '12345678');
    this.current = defaultSettings(this.profile, this.smsc);
    this.mt = new MtDelivery(this);
    this.mo = new MoSubmission(this);
    this.radio = new Radio(this, options, () => this.mt.scheduleRetry());
  }

  get smsc(): string {
    return this.options.smsc ?? '+12063130004';
  }

  get settings(): AtSettings {
    return this.current;
  }

  updateSettings(change: Partial<AtSettings>): void {
    this.current = { ...this.current, ...change };
  }

  resetSettings(): void {
    this.current = defaultSettings(this.profile, this.smsc);
  }

  setSRegister(register: number, value: number): void {
    this.current = { ...this.current, sRegisters: new Map(this.current.sRegisters).set(register, value) };
  }

  get faults(): Readonly<ModemFaults> {
    return this.activeFaults;
  }

  takeFault(fault: CountedFault): boolean {
    if (this.activeFaults[fault] <= 0) return false;
    this.activeFaults = { ...this.activeFaults, [fault]: this.activeFaults[fault] - 1 };
    return true;
  }

  get power(): PowerState {
    return this.powerState;
  }

  get smsReady(): boolean {
    return this.smsReadyReached;
  }

  // RadioAccess, answered by the radio (radio.ts).
  get operator(): string {
    return this.radio.operator;
  }

  get cfun(): number {
    return this.radio.cfun;
  }

  setFunctionality(fun: number): void {
    this.radio.setFunctionality(fun);
  }

  get pdpAddress(): string | null {
    return this.radio.pdpAddress;
  }

  get cell(): SimulatedCell {
    return this.radio.cell;
  }

  registrationStat(): number {
    return this.radio.registrationStat();
  }

  isRegistered(): boolean {
    return this.radio.isRegistered();
  }

  updateRegistration(): void {
    this.radio.updateRegistration();
  }

  rssi(): number {
    return this.radio.rssi();
  }

  /** Starts (or restarts) the firmware: settings reset, boot URCs after the configured delays. */
  powerOn(): void {
    this.powerState = 'booting';
    this.smsReadyReached = false;
    this.radio.powerOn();
    this.resetSettings();
    this.sim.powerOn();
    this.event('boot', { profile: this.profile.name });
    this.later(this.options.bootDelayMs ?? 50, () => {
      this.powerState = 'on';
      const urcs = this.profile.powerOnUrcs.map((urc) =>
        urc === '+CPIN: READY' && !this.sim.unlocked ? `+CPIN: ${this.sim.lockState}` : urc,
      );
      for (const urc of urcs) this.urc([urc]);
      if (this.sim.unlocked) this.scheduleSmsReady();
      this.updateRegistration();
      this.event('powered_on', {});
    });
  }

  /** SMS initialisation finishes a little after the SIM is usable (SIM800 manual §19.3, EC25 manual +QIND). */
  scheduleSmsReady(): void {
    this.later(this.options.smsReadyDelayMs ?? 50, () => {
      if (this.power !== 'on' || !this.sim.unlocked) return;
      this.smsReadyReached = true;
      for (const urc of this.profile.smsReadyUrcs) this.urc([urc]);
      this.event('sms_ready', {});
    });
  }

  /** The right PIN or PUK came in (commands/sim-lock.ts): the SIM is ready, SMS and registration follow. */
  simUnlocked(): void {
    this.sim.unlock();
    this.urc(['+CPIN: READY']);
    this.scheduleSmsReady();
    this.later(0, () => this.updateRegistration());
  }

  powerOff(): void {
    this.powerState = 'off';
    this.smsReadyReached = false;
    this.clearTimers();
    this.mt.reset();
  }

  later(ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  setFaults(update: Record<string, unknown>): ModemFaults {
    this.activeFaults = mergeFaults(this.activeFaults, update);
    if ('simNotReady' in update) {
      this.simNotReadyUntil = this.faults.simNotReady
        ? this.simClock.now().getTime() + this.faults.simNotReady.forMs
        : 0;
      if (this.faults.simNotReady) {
        const { forMs } = this.faults.simNotReady;
        this.later(forMs, () => {
          this.activeFaults = { ...this.activeFaults, simNotReady: null };
          this.updateRegistration();
        });
      }
    }
    this.storage.forcedFull = this.faults.storageFull;
    this.updateRegistration();
    if (!this.faults.storageFull) this.mt.scheduleRetry();
    this.event('faults', this.faults);
    return this.faults;
  }

  /** The SIM error a SIM-dependent command gets right now, if any (TS 27.007 §9.2: 10, 11, 13, 14). */
  simError(): number | undefined {
    if (this.faults.simNotReady) {
      if (this.simClock.now().getTime() < this.simNotReadyUntil) return this.faults.simNotReady.code;
      // Expired while its timer was cleared (a reboot): the SIM is back.
      this.activeFaults = { ...this.activeFaults, simNotReady: null };
    }
    if (this.cfun === 0) return 13;
    if (!this.sim.unlocked) return this.sim.pinTriesLeft > 0 ? 11 : 12;
    return undefined;
  }

  requireSim(): void {
    const code = this.simError();
    if (code !== undefined) throw new CommandFailed(cme(code));
  }

  /** SMS commands need the SIM and, on SIMCom, the "SMS Ready" point (TS 27.005 §3.2.5: 310/311/314, 302). */
  requireSms(): void {
    const code = this.simError();
    if (code !== undefined)
      throw new CommandFailed(cms(code === 10 ? 310 : code === 14 ? 314 : code === 11 ? 311 : 313));
    if (this.profile.rejectsSmsBeforeReady && !this.smsReady) throw new CommandFailed(cms(302));
  }

  /** The profile's next harmless vendor URC (the "URC between lines" quirk and the urc* faults use it). */
  noiseUrc(): string {
    return this.profile.noiseUrc(this.rssi(), this.noiseCount++, this.simClock.now());
  }

  /**
   * The vendor URC due between the lines of a response with `infoCount` information lines, for profiles whose
   * firmware interleaves one every so many responses (while its periodic URCs are on); none: undefined.
   */
  interleavedVendorUrc(infoCount: number): string | undefined {
    if (infoCount === 0 || this.profile.noiseEvery <= 0 || !this.settings.vendorUrcs) return undefined;
    this.responsesWithInfo++;
    return this.responsesWithInfo % this.profile.noiseEvery === 0 ? this.noiseUrc() : undefined;
  }

  takeSendFault(): number | undefined {
    const fault = this.faults.sendError;
    if (!fault || fault.count <= 0) return undefined;
    this.activeFaults = {
      ...this.activeFaults,
      sendError: fault.count > 1 ? { ...fault, count: fault.count - 1 } : null,
    };
    return fault.code;
  }

  /** +CNMA did not come in time (TS 27.005 §3.4.4): routing of new messages and reports (<mt>, <ds>) is off. */
  directRoutingTimedOut(): void {
    const [mode, , bm, , bfr] = this.current.cnmi;
    this.updateSettings({ cnmi: [mode, 0, bm, 0, bfr] });
  }

  /** The vendor's storage-full URC, when it has one (EC25 +QIND: "smsfull", Huawei ^SMMEMFULL). */
  reportStorageFull(memory: MemoryName): void {
    const urc = this.profile.storageFullUrc?.(memory);
    if (urc) this.urc([urc]);
  }

  urc(lines: string[]): void {
    if (this.power === 'off') return;
    this.listener.urc(lines);
  }

  event(name: string, payload: unknown): void {
    this.record('event', name === 'faults' ? `faults ${JSON.stringify(payload)}` : name);
    this.listener.event(name, payload);
  }

  record(direction: 'in' | 'out' | 'event', text: string): void {
    this.atLog.record(direction, text);
  }

  log(since = 0): LogEntry[] {
    return this.atLog.since(since);
  }
}
