import { afterPrefix, intField, splitFields, unquote } from './fields.js';

/** 3GPP TS 27.007 §7.2 <stat>, named. 6/7 ("SMS only", E-UTRAN) count as registered for our purpose. */
export type Registration = 'not-registered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming';

const STAT: Record<number, Registration> = {
  0: 'not-registered',
  1: 'home',
  2: 'searching',
  3: 'denied',
  4: 'unknown',
  5: 'roaming',
  6: 'home',
  7: 'roaming',
  9: 'home',
  10: 'roaming',
};

export function isRegistered(r: Registration | undefined): boolean {
  return r === 'home' || r === 'roaming';
}

/** `+CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]` answering `AT+CREG?` (likewise +CGREG, +CEREG). */
export function parseRegistrationQuery(lines: readonly string[], prefix = '+CREG:'): Registration | undefined {
  const text = afterPrefix(lines, prefix);
  if (text === undefined) return undefined;
  const stat = intField(splitFields(text)[1]);
  return stat === undefined ? undefined : (STAT[stat] ?? 'unknown');
}

/** The unsolicited form `+CREG: <stat>[,<lac>,<ci>[,<AcT>]]` (n=1 or 2). */
export function parseRegistrationUrc(line: string): Registration | undefined {
  const m = /^\+C(?:E|G)?REG:\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const stat = intField(splitFields(m[1]!)[0]);
  return stat === undefined ? undefined : (STAT[stat] ?? 'unknown');
}

/** <AcT> of +COPS/+CREG/+CEREG (TS 27.007 §7.3), named. */
export const ACCESS_TECHNOLOGIES: Record<number, string> = {
  0: 'GSM',
  1: 'GSM',
  2: 'UMTS',
  3: 'EDGE',
  4: 'HSDPA',
  5: 'HSUPA',
  6: 'HSPA',
  7: 'LTE',
  8: 'LTE-M',
  9: 'NB-IoT',
  10: 'LTE',
  13: 'NR',
};

export interface Operator {
  name: string | undefined;
  accessTechnology: string | undefined;
}

/** `+COPS: <mode>[,<format>,<oper>[,<AcT>]]`. */
export function parseCops(lines: readonly string[]): Operator {
  const text = afterPrefix(lines, '+COPS:');
  if (text === undefined) return { name: undefined, accessTechnology: undefined };
  const f = splitFields(text);
  const name = f[2] !== undefined && f[2] !== '' ? unquote(f[2]) : undefined;
  const act = intField(f[3]);
  return { name, accessTechnology: act === undefined ? undefined : (ACCESS_TECHNOLOGIES[act] ?? `act-${act}`) };
}

export type SignalQuality = 'excellent' | 'good' | 'fair' | 'poor' | 'none';

export interface Signal {
  /** Received signal in dBm (RSSI for +CSQ, RSRP for +CESQ on LTE); null when the modem does not know. */
  rssi_dbm: number | null;
  quality: SignalQuality;
}

/** `+CSQ: <rssi>,<ber>`: 0 → -113 dBm, 2..30 → -109..-53 in 2 dB steps, 31 → -51 or better, 99 unknown (TS 27.007 §8.5). */
export function parseCsq(lines: readonly string[]): Signal {
  const text = afterPrefix(lines, '+CSQ:');
  const rssi = text === undefined ? undefined : intField(splitFields(text)[0]);
  if (rssi === undefined || rssi < 0 || rssi > 31) return { rssi_dbm: null, quality: 'none' };
  const dbm = -113 + 2 * rssi;
  return { rssi_dbm: dbm, quality: rssiQuality(dbm) };
}

/**
 * A vendor URC carrying +CSQ's `<rssi>,<ber>` after its own head: Quectel `+QIND: "csq",<rssi>,<ber>`, SIMCom
 * `+CSQN: <rssi>,<ber>`. Undefined when the line does not carry a number where <rssi> goes.
 */
export function parseSignalUrc(line: string, head: RegExp): Signal | undefined {
  const m = head.exec(line);
  if (!m) return undefined;
  const fields = splitFields(line.slice(m[0].length));
  if (intField(fields[0]) === undefined) return undefined;
  return parseCsq([`+CSQ: ${fields.join(',')}`]);
}

/** Thresholds used by most vendor "bars" for GSM/UMTS RSSI. */
function rssiQuality(dbm: number): SignalQuality {
  if (dbm >= -73) return 'excellent';
  if (dbm >= -83) return 'good';
  if (dbm >= -93) return 'fair';
  return 'poor';
}

/**
 * `+CESQ: <rxlev>,<ber>,<rscp>,<ecno>,<rsrq>,<rsrp>` (TS 27.007 §8.69). RSRP 0..97 → -140..-44 dBm, RSCP 0..96 →
 * -120..-24, RXLEV 0..63 → -110..-48; 255/99 mean "not known or not detectable". The best-known measure wins.
 */
export function parseCesq(lines: readonly string[]): Signal {
  const text = afterPrefix(lines, '+CESQ:');
  const f = text === undefined ? [] : splitFields(text).map((x) => intField(x));
  const rsrp = f[5];
  if (rsrp !== undefined && rsrp <= 97) {
    const dbm = -140 + rsrp;
    const quality = dbm >= -80 ? 'excellent' : dbm >= -90 ? 'good' : dbm >= -100 ? 'fair' : 'poor';
    return { rssi_dbm: dbm, quality };
  }
  const rscp = f[2];
  if (rscp !== undefined && rscp <= 96) {
    const dbm = -120 + rscp;
    return { rssi_dbm: dbm, quality: rssiQuality(dbm) };
  }
  const rxlev = f[0];
  if (rxlev !== undefined && rxlev <= 63) {
    const dbm = -110 + rxlev;
    return { rssi_dbm: dbm, quality: rssiQuality(dbm) };
  }
  return { rssi_dbm: null, quality: 'none' };
}
