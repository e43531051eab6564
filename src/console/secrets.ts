/**
 * Console lines that must never reach the history file (~/.m2m-bridge-at-history, readable by whoever reads the
 * technician's home): commands carrying a SIM PIN, PUK or facility password (3GPP TS 27.007 §8.3 +CPIN, §7.4 +CLCK,
 * §7.5 +CPWD, and the PIN2 variant some vendors have). Message bodies typed after a `> ` prompt are kept out by the
 * REPL itself, which knows the session is waiting for one.
 */
const SECRET_COMMAND = /^AT\s*[+^$#%]?(?:CPIN2?|CLCK|CPWD|CPUK)\s*=(?!\s*\?)/i;

export function carriesSecret(line: string): boolean {
  return SECRET_COMMAND.test(line.trim());
}
