import type { CliIo } from './command.js';
import { main } from './main.js';

// The executable entry (dist/cli.js imports this): wires the real process streams and exit code.

// `m2m-bridge history | head` closes our stdout early. That is the reader saying "enough", not a failure: stop quietly
// as other command-line tools do (without this, Node throws an unhandled 'error' event and prints a stack).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

const io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`m2m-bridge: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
