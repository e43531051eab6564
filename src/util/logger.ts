import { fstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger } from 'pino';

/** Keys whose values never reach a log line (ARCHITECTURE.md: secrets never appear in logs). */
export const DEFAULT_SECRET_KEYS = ['pin', 'puk', 'password', 'auth_token', 'authToken', 'secret', 'api_secret'];

export interface LoggerFactoryOptions {
  level?: string;
  /** Logger name, e.g. the component. */
  name?: string;
  /** Keys to redact at the top level and up to three levels deep. Defaults to DEFAULT_SECRET_KEYS. */
  secretKeys?: readonly string[];
  /** 'auto' (default): pretty when the destination is stdout and it is a TTY. */
  pretty?: boolean | 'auto';
  /** Where lines go; defaults to stdout. Tests pass a stream they can read. */
  destination?: DestinationStream;
  /**
   * Start each line with its syslog priority (`<4>` for warn …), which journald strips and files as the entry's
   * PRIORITY, so `journalctl -p warning` works. Only when stdout is the journal (see stdoutIsJournal).
   */
  journald?: boolean;
}

/** pino level → syslog priority (RFC 5424): fatal→crit, error→err, warn→warning, info→info, debug/trace→debug. */
function syslogPriority(level: number): number {
  if (level >= 60) return 2;
  if (level >= 50) return 3;
  if (level >= 40) return 4;
  if (level >= 30) return 6;
  return 7;
}

/** pino writes `{"level":NN,` first on every line: read it from there rather than parsing the line again. */
function withPriorityPrefix(line: string): string {
  const match = /^\{"level":(\d+)/.exec(line);
  return match ? `<${syslogPriority(Number(match[1]))}>${line}` : line;
}

/**
 * True when stdout is a stream to journald: systemd sets JOURNAL_STREAM to "<device>:<inode>" of that stream, and
 * systemd.exec(5) says to compare it with stdout's own, since the variable is inherited by children whose stdout was
 * redirected elsewhere (a pipe, a file), where a `<N>` prefix would corrupt the JSON lines.
 */
export function stdoutIsJournal(env: NodeJS.ProcessEnv, fd = 1): boolean {
  const expected = env.JOURNAL_STREAM;
  if (!expected) return false;
  try {
    const stat = fstatSync(fd);
    return expected === `${stat.dev}:${stat.ino}`;
  } catch {
    return false;
  }
}

/**
 * Builds a pino@10 logger: JSON lines on stdout (or pino-pretty on a terminal), secrets redacted. No singleton: the
 * composition root creates one and passes it (or `.child()`ren of it) down through constructors.
 */
export function createLogger(options: LoggerFactoryOptions = {}): Logger {
  const keys = options.secretKeys ?? DEFAULT_SECRET_KEYS;
  const paths = keys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths, censor: '[redacted]' },
  };
  if (options.name) pinoOptions.name = options.name;
  if (options.journald) pinoOptions.hooks = { streamWrite: withPriorityPrefix };
  const wantPretty =
    options.pretty === true || (options.pretty !== false && !options.destination && process.stdout.isTTY === true);
  if (wantPretty) {
    // Required only for a terminal: pino-pretty and its dependencies cost ~10 MB of RSS a service never needs.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');
    const stream = pretty({ colorize: true, destination: options.destination ?? 1, sync: true });
    return pino(pinoOptions, stream);
  }
  return pino(pinoOptions, options.destination ?? pino.destination({ dest: 1, sync: false }));
}

/** A logger that drops everything; for tests and tools that want silence. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
