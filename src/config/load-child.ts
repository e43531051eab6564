import { ConfigError } from './errors.js';
import { type LoadConfigOptions, loadConfig } from './load.js';
import type { LoadReply } from './load-isolated.js';

// The process that load-isolated.ts forks: it receives the options, loads and validates, answers once and ends, so
// yaml, zod and the schema die with it instead of staying in the daemon's heap for the daemon's whole life.
process.once('message', (options: LoadConfigOptions) => {
  let reply: LoadReply;
  try {
    reply = { kind: 'loaded', loaded: loadConfig(options) };
  } catch (error) {
    reply =
      error instanceof ConfigError
        ? { kind: 'invalid', issues: error.issues }
        : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  process.send?.(reply, () => process.disconnect());
});
