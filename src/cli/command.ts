import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * What a subcommand module exports as `command`. Thin: parse, call, print (ARCHITECTURE.md, src/cli). Its name and
 * its one-line summary live in registry.ts only, so `m2m-bridge --help` loads no command module.
 */
export interface CliCommand {
  /** Usage line(s) and option descriptions for `m2m-bridge <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the process exit code. Throw UsageError for bad arguments (exit 2). */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The process streams, passed in so commands can be run in-process by tests. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Bad command-line input: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * node:util parseArgs in strict mode, with its errors turned into UsageError so the user sees one line naming
 * the flag. `--help` is handled by the caller (main.ts) before this runs.
 */
export function parseCommandArgs<T extends Options>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

/** Writes one JSON object as one line (the CLI contract: machine-readable output is JSON lines, snake_case keys). */
export function writeJsonLine(out: NodeJS.WritableStream, value: unknown): void {
  out.write(`${JSON.stringify(value)}\n`);
}
