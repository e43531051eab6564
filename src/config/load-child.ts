import { Socket } from 'node:net';
import { ConfigError } from './errors.js';
import { type LoadConfigOptions, loadConfig } from './load.js';
import { LOADER_FD, type LoadReply } from './load-isolated.js';

// The process that load-isolated.ts starts: it reads the options (one JSON line on fd 3), loads and validates,
// answers once on the same socket and ends, so yaml, zod and the schema die with it instead of staying in the
// daemon's heap for the daemon's whole life.
const channel = new Socket({ fd: LOADER_FD, readable: true, writable: true });
let request = '';
channel.setEncoding('utf8');
channel.on('data', (chunk: string) => {
  request += chunk;
  const end = request.indexOf('\n');
  if (end < 0) return;
  channel.pause();
  channel.end(`${JSON.stringify(answer(request.slice(0, end)))}\n`, () => channel.destroy());
});

function answer(line: string): LoadReply {
  try {
    return { kind: 'loaded', loaded: loadConfig(JSON.parse(line) as LoadConfigOptions) };
  } catch (error) {
    return error instanceof ConfigError
      ? { kind: 'invalid', issues: error.issues }
      : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}
