import { afterPrefix, intField, splitFields, unquote } from './fields.js';

/**
 * What a SIM waits for, and how many tries are left, from the answers modems give. `AT+CPIN?` (3GPP TS 27.007 §8.3)
 * is standard; the retry counters are not everywhere: `AT+CPINR` is the 3GPP one (§8.65), and most modules have their
 * own. Knowing the count matters: a PIN entered on the last try that is wrong blocks the SIM, and a PUK entered on the
 * last try that is wrong destroys it.
 */

/** `+CPIN: <code>`: READY, SIM PIN, SIM PUK, PH-SIM PIN, SIM PIN2 … (upper case, as the modem sends it). */
export function parseCpinState(lines: readonly string[]): string | undefined {
  const text = afterPrefix(lines, '+CPIN:');
  return text === undefined ? undefined : unquote(text).toUpperCase();
}

export interface SimRetries {
  /** PIN tries left, or null when this answer does not say. */
  pin: number | null;
  /** PUK tries left, or null when this answer does not say. */
  puk: number | null;
}

export interface RetryQuery {
  command: string;
  /** `waitingFor`: the +CPIN state, for counters that count only the code the SIM waits for. */
  parse(lines: readonly string[], waitingFor: string): SimRetries | undefined;
}

const fieldsAfter = (lines: readonly string[], prefix: string) => {
  const text = afterPrefix(lines, prefix);
  return text === undefined ? undefined : splitFields(text).map(unquote);
};
const count = (field: string | undefined) => intField(field) ?? null;

/** `+CPINR: <code>,<retries>,<default_retries>`, one line per code (TS 27.007 §8.65). */
function parseCpinr(lines: readonly string[]): SimRetries | undefined {
  const retries: SimRetries = { pin: null, puk: null };
  for (const line of lines) {
    const m = /^\+CPINR:\s*"?([^",]+)"?,\s*(\d+)/.exec(line.trim());
    if (m?.[1] === 'SIM PIN') retries.pin = Number(m[2]);
    if (m?.[1] === 'SIM PUK') retries.puk = Number(m[2]);
  }
  return retries.pin === null && retries.puk === null ? undefined : retries;
}

/** The vendors' counters, in the order they are tried after +CPINR; each names the manual that documents it. */
export const RETRY_QUERIES: readonly RetryQuery[] = [
  { command: 'AT+CPINR', parse: parseCpinr },
  {
    // Quectel EC25/EG25 AT manual: +QPINC: <facility>,<pincounter>,<pukcounter>
    command: 'AT+QPINC="SC"',
    parse: (lines) => {
      const f = fieldsAfter(lines, '+QPINC:');
      return f ? { pin: count(f[1]), puk: count(f[2]) } : undefined;
    },
  },
  {
    // SIMCom SIM7500/SIM7600 AT manual: +SPIC: <pin1>,<pin2>,<puk1>,<puk2>
    command: 'AT+SPIC',
    parse: (lines) => {
      const f = fieldsAfter(lines, '+SPIC:');
      return f ? { pin: count(f[0]), puk: count(f[2]) } : undefined;
    },
  },
  {
    // u-blox cellular AT commands manual: +UPINCNT: <PIN1_attempts>,<PIN2_attempts>,<PUK1_attempts>,<PUK2_attempts>
    command: 'AT+UPINCNT',
    parse: (lines) => {
      const f = fieldsAfter(lines, '+UPINCNT:');
      return f ? { pin: count(f[0]), puk: count(f[2]) } : undefined;
    },
  },
  {
    // Huawei MU609/ME909 AT spec: ^CPIN: <code>,[<times>],<puk_times>,<pin_times>,<puk2_times>,<pin2_times>
    command: 'AT^CPIN?',
    parse: (lines) => {
      const f = fieldsAfter(lines, '^CPIN:');
      return f ? { pin: count(f[3]), puk: count(f[2]) } : undefined;
    },
  },
  {
    // Telit LE910Cx AT reference guide: #PCT: <n>, the tries left of the code the SIM waits for (PIN, else PUK)
    command: 'AT#PCT',
    parse: (lines, waitingFor) => {
      const n = count(fieldsAfter(lines, '#PCT:')?.[0]);
      if (n === null) return undefined;
      return waitingFor === 'SIM PUK' ? { pin: null, puk: n } : { pin: n, puk: null };
    },
  },
];

/** `+CLCK: <status>` for facility "SC": whether the SIM asks for its PIN at power-on (TS 27.007 §7.4). */
export function parseClckStatus(lines: readonly string[]): boolean | undefined {
  const status = intField(fieldsAfter(lines, '+CLCK:')?.[0]);
  return status === undefined ? undefined : status === 1;
}
