import { splitFields, unquote } from '../modem/parsers/fields.js';
import {
  parseCesq,
  parseCops,
  parseCsq,
  parseRegistrationQuery,
  parseRegistrationUrc,
} from '../modem/parsers/network.js';

/**
 * What the console prints under the answers a technician reads most when a gateway is off the air, like the notes
 * under +CME/+CMS ERROR codes: signal in dBm with a verdict, registration in words with the cell, the operator and
 * selection mode, and the SIM's lock state with what to do. Reuses the driver's parsers (src/modem/parsers), so the
 * console and `modem/state` always read a line the same way.
 */
export function explainAnswer(line: string, unsolicited: boolean): string | null {
  if (line.startsWith('+CSQ:')) return explainSignal(parseCsq([line]), 'RSSI');
  if (line.startsWith('+CESQ:')) return explainSignal(parseCesq([line]), 'best of RSRP/RSCP/RXLEV');
  const registration = /^\+(C|CG|CE|C5G)REG:/.exec(line);
  if (registration) return explainRegistration(line, `+${registration[1]}REG:`, unsolicited);
  if (line.startsWith('+COPS:') && !line.includes('(')) return explainOperator(line);
  if (line.startsWith('+CPIN:')) return explainSimLock(line.slice(6).trim());
  return null;
}

function explainSignal(signal: ReturnType<typeof parseCsq>, measure: string): string {
  if (signal.rssi_dbm === null)
    return 'signal not known or not detectable: no network in reach, no antenna, or the radio is off (AT+CFUN?)';
  const advice = signal.quality === 'poor' ? '; SMS may fail: check the antenna and its cable' : '';
  return `signal ${signal.rssi_dbm} dBm (${measure}), ${signal.quality}${advice} (3GPP TS 27.007 §8.5)`;
}

const REGISTRATION_WORDS: Record<string, string> = {
  'not-registered': 'not registered and not searching (AT+COPS=0 starts automatic selection)',
  home: 'registered on the home network',
  searching: 'not registered, searching for a network',
  denied: 'registration denied by the network (SIM not provisioned or barred: check the SIM status in the cloud)',
  unknown: 'registration state unknown (out of coverage?)',
  roaming: 'registered, roaming (an IoT SIM usually is)',
};

const ACCESS: Record<string, string> = { 0: 'GSM', 2: 'UMTS', 3: 'EDGE', 7: 'LTE', 8: 'LTE-M', 9: 'NB-IoT', 13: 'NR' };

function explainRegistration(line: string, prefix: string, unsolicited: boolean): string | null {
  const state = unsolicited ? parseRegistrationUrc(line) : parseRegistrationQuery([line], prefix);
  if (state === undefined) return null;
  // After <stat>: [<lac>,<ci>[,<AcT>]] when +CREG=2 asked for the cell (TS 27.007 §7.2).
  const fields = splitFields(line.slice(prefix.length).trim());
  const cell = fields.slice(unsolicited ? 1 : 2).map(unquote);
  const parts = [REGISTRATION_WORDS[state] ?? state];
  if (cell[0] && cell[1]) parts.push(`area ${cell[0]}, cell ${cell[1]}`);
  if (cell[2] !== undefined && ACCESS[cell[2]]) parts.push(ACCESS[cell[2]]!);
  return parts.join('; ');
}

const SELECTION: Record<string, string> = {
  0: 'automatic selection',
  1: 'manual selection',
  2: 'deregistered from the network (AT+COPS=0 to register)',
  4: 'manual selection, automatic if that fails',
};

function explainOperator(line: string): string {
  const mode = splitFields(line.slice(6).trim())[0] ?? '';
  const operator = parseCops([line]);
  const selection = SELECTION[mode] ?? `selection mode ${mode}`;
  if (operator.name === undefined) return `no operator: not registered; ${selection}`;
  const access = operator.accessTechnology ? ` on ${operator.accessTechnology}` : '';
  return `operator ${operator.name}${access}; ${selection}`;
}

const SIM_LOCKS: Record<string, string> = {
  READY: 'SIM ready: no PIN needed',
  'SIM PIN': 'the SIM waits for its PIN: set modem.pin_file (the daemon sends it once), or AT+CPIN="<pin>" here',
  'SIM PUK': 'the SIM is blocked after three wrong PINs: it needs the PUK from the SIM card holder (never guess)',
  'SIM PIN2': 'PIN2 needed (not used for SMS)',
  'SIM PUK2': 'PIN2 blocked; PUK2 needed (not used for SMS)',
  'PH-SIM PIN': 'the modem is locked to another SIM (phone-to-SIM lock): it needs the device lock code',
  'PH-NET PIN': 'the modem is network-locked (SIM lock): it needs the unlock code from whoever locked it',
};

function explainSimLock(state: string): string | null {
  return SIM_LOCKS[state.toUpperCase()] ?? null;
}
