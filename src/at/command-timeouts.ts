/**
 * Default deadlines per command. Most answers take milliseconds; the slow ones come from the modem talking to the
 * network or the SIM: +CMGS waits for the SMSC (SIMCom SIM800 manual: "max response time 60 s"; Quectel EC25 AT
 * manual: 120 s), +COPS scans (180 s), +CFUN restarts the radio (15 s on Quectel, longer on u-blox), +CMGL/+CMGD over a
 * full SIM walk the card (Quectel: 300 s for +CMGL worst case; we keep a tighter cap and let recovery handle hangs).
 */
const TABLE: [RegExp, number][] = [
  [/^AT\+CMGS=/i, 120_000],
  [/^AT\+CMSS=/i, 120_000],
  [/^AT\+COPS=/i, 180_000],
  [/^AT\+COPS\?/i, 15_000],
  [/^AT\+CFUN=/i, 30_000],
  [/^AT\+CMGL/i, 60_000],
  [/^AT\+CMGD=/i, 25_000],
  [/^AT\+CMGR=/i, 10_000],
  [/^AT\+CPMS/i, 10_000],
  [/^AT\+CPIN/i, 10_000],
];

export const DEFAULT_TIMEOUT_MS = 5000;

export function defaultTimeoutFor(command: string): number {
  for (const [re, ms] of TABLE) if (re.test(command)) return ms;
  return DEFAULT_TIMEOUT_MS;
}

/** The command as it may appear in logs and errors: PINs/PUKs masked. */
export function maskCommand(command: string): string {
  return command.replace(/^(AT\+(?:CPIN|CLCK|CPWD)=).*/i, '$1<redacted>');
}
