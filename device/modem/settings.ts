import type { ModemProfile } from './profiles.js';
import type { MemoryName } from './sms-storage.js';

/**
 * Settings the TE changes with AT commands; reset by ATZ / AT&F and on reboot (V.250 §6.1.1). Read-only: they change
 * as a whole through the core's SettingsHolder methods, so no helper edits them in place.
 */
export interface AtSettings {
  readonly echo: boolean;
  /** ATV1: verbose result codes; ATV0 numeric (V.250 §6.2.6). */
  readonly verbose: boolean;
  /** ATQ1 suppresses result codes (V.250 §6.2.5). */
  readonly quiet: boolean;
  readonly cmee: number;
  /** 0 PDU mode, 1 text mode (TS 27.005 §3.2.3). */
  readonly cmgf: number;
  readonly cscs: string;
  readonly csms: number;
  readonly csca: { readonly address: string; readonly type: number };
  readonly cpms: readonly [MemoryName, MemoryName, MemoryName];
  /** <mode>,<mt>,<bm>,<ds>,<bfr> (TS 27.005 §3.4.1). */
  readonly cnmi: readonly [number, number, number, number, number];
  readonly csdh: number;
  readonly creg: number;
  readonly cgreg: number;
  readonly cereg: number;
  /** <format> of +COPS answers: 0 long name, 1 short name, 2 numeric (AT+COPS=3,<format>; TS 27.007 §7.3). */
  readonly copsFormat: number;
  readonly sRegisters: ReadonlyMap<number, number>;
  /** Vendor periodic URCs on (Huawei AT^CURC=1, the default) or off (AT^CURC=0). */
  readonly vendorUrcs: boolean;
  /**
   * The vendor's signal URC on change (Quectel AT+QINDCFG="csq",1 → `+QIND: "csq",<rssi>,<ber>`; SIMCom
   * AT+AUTOCSQ=1,1 or AT+EXUNSOL="SQ",1 → `+CSQN: <rssi>,<ber>`); off after boot on both.
   */
  readonly signalUrc: boolean;
}

export function defaultSettings(profile: ModemProfile, smsc: string): AtSettings {
  const memory = profile.defaultStorage;
  return {
    echo: true,
    verbose: true,
    quiet: false,
    cmee: 0,
    cmgf: 0,
    cscs: 'GSM',
    csms: 0,
    csca: { address: smsc, type: smsc.startsWith('+') ? 145 : 129 },
    cpms: [memory, memory, memory],
    // Store and indicate with +CMTI by default, as EC25/SIM800 ship (EC25 manual AT+CNMI default 2,1,0,0,0).
    cnmi: [2, 1, 0, 0, 0],
    csdh: 0,
    creg: 0,
    cgreg: 0,
    cereg: 0,
    copsFormat: 0,
    // S3 line terminator, S4 response formatting, S5 backspace (V.250 §6.2.1-6.2.3).
    sRegisters: new Map([
      [0, 0],
      [3, 13],
      [4, 10],
      [5, 8],
      [7, 60],
    ]),
    vendorUrcs: true,
    signalUrc: false,
  };
}
