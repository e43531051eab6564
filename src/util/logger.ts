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
