import type { SimulatedCell } from './cell.js';
import type { ModemFaults } from './faults.js';
import type { ModemProfile } from './profiles.js';
import type { AtSettings } from './settings.js';
import type { SimCard } from './sim-card.js';
import type { SmsStorage } from './sms-storage.js';

/**
 * The parts of the modem core (modem-core.ts) its helpers see. Each helper — a command file, the AT session, the
 * response writer, MT delivery, MO submission — is typed with only the parts it uses, so what it can read and change
 * is written in its signature; state changes go through the named methods here, never by assignment from outside.
 */

/** The simulator's one clock: the network time in received SMS (TP-SCTS), fault deadlines, the log, storage times. */
export interface SimClock {
  now(): Date;
}

/** The real time, the default simulator clock. */
export const wallClock: SimClock = { now: () => new Date() };

export interface ClockAccess {
  readonly simClock: SimClock;
}

/** What the modem is: its vendor dialect, its identity and its SMS centre. */
export interface ModemIdentity {
  readonly profile: ModemProfile;
  readonly identity: { readonly imei: string; readonly imsi: string; readonly iccid: string };
  readonly smsc: string;
}

/** The settings the TE changes with AT commands (settings.ts), read as they are and changed only by these methods. */
export interface SettingsHolder {
  readonly settings: AtSettings;
  /** Changes the named settings, as a command's set form does. */
  updateSettings(change: Partial<AtSettings>): void;
  /** ATZ / AT&F: the factory settings of the profile (V.250 §6.1.1). */
  resetSettings(): void;
  /** ATSn=<value> (V.250 §6.2). */
  setSRegister(register: number, value: number): void;
}

/** A counter fault: the next N occurrences misbehave, each one counting it down (faults.ts). */
export type CountedFault = 'garbage' | 'dropLines' | 'doubleLines' | 'urcInResponse' | 'urcInEcho' | 'urcBeforePrompt';

/** The faults switched on now (changed by the owner through setFaults; helpers only count them down). */
export interface FaultAccess {
  readonly faults: Readonly<ModemFaults>;
  /** Whether a counter fault fires now; when it does, it is counted down. */
  takeFault(fault: CountedFault): boolean;
  /** The +CMS ERROR code of the next injected send failure (fault `sendError`), counting it down; none: undefined. */
  takeSendFault(): number | undefined;
}

/** The SIM and the errors a command that needs it gets. */
export interface SimAccess {
  readonly sim: SimCard;
  /** The SIM error a SIM-dependent command gets right now, if any (TS 27.007 §9.2: 10, 11, 12, 13, 14). */
  simError(): number | undefined;
  /** Throws the +CME ERROR a command needing the SIM gets now. */
  requireSim(): void;
  /** Throws the +CMS ERROR an SMS command gets now (SIM not ready, or before "SMS Ready" on SIMCom). */
  requireSms(): void;
  /** The right PIN or PUK came in: +CPIN: READY, then SMS ready and registration follow. */
  simUnlocked(): void;
}

/** Radio and network: functionality level, registration, signal, operator, the data session. */
export interface RadioAccess {
  /** +CFUN level: 0 minimum, 1 full, 4 radio off. */
  readonly cfun: number;
  /** Sets the +CFUN level; registration follows a moment later. */
  setFunctionality(fun: number): void;
  registrationStat(): number;
  isRegistered(): boolean;
  /** Registration URCs when the status changed. */
  updateRegistration(): void;
  rssi(): number;
  readonly operator: string;
  /** PDP context 1's address while a data session is up. */
  readonly pdpAddress: string | null;
  /** The serving cell (cell.ts): what +COPS numeric, n=2 registration, +CESQ and the vendors' cell queries report. */
  readonly cell: SimulatedCell;
}

/** Where the modem's output goes that is no response: URCs to every connection, events to the owner. */
export interface UrcSink {
  urc(lines: string[]): void;
  event(name: string, payload: unknown): void;
  /** The profile's next harmless vendor URC (the "URC between lines" quirk and the urc* faults). */
  noiseUrc(): string;
}

/** The AT log (what `GET /log` shows). */
export interface LogSink {
  record(direction: 'in' | 'out' | 'event', text: string): void;
}

/** Timers that end with the modem's power. */
export interface Timers {
  later(ms: number, action: () => void): NodeJS.Timeout;
  cancel(timer: NodeJS.Timeout | undefined): void;
}

/** The SMS memories (SM, ME, MT, SR). */
export interface StorageAccess {
  readonly storage: SmsStorage;
}
