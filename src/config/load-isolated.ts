import { fork } from 'node:child_process';
import { ConfigError, type ConfigIssue } from './errors.js';
import type { LoadConfigOptions, LoadedConfig } from './load.js';

/** What the loader process answers: the loaded config, the problems found, or an error that is not the config's. */
export type LoadReply =
  | { kind: 'loaded'; loaded: LoadedConfig }
  | { kind: 'invalid'; issues: ConfigIssue[] }
  | { kind: 'failed'; message: string };

/**
 * `loadConfig` in a short-lived child process (load-child.ts), for the daemon: the YAML parser, zod and the schema
 * are ~9 MB of a gateway's RSS for as long as the process lives, and a module once imported is never unloaded. A
 * worker thread is not enough: its malloc arena stays behind after it ends. Same result and the same ConfigError
 * (the same messages) as loadConfig; the child inherits the environment and Node's flags, and talks over the IPC
 * channel only, so secrets never pass through a pipe another process could read or a log.
 */
export function loadConfigIsolated(options: LoadConfigOptions): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./load-child.js', import.meta.url), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // Node's own flags (--jitless …) carry over, a debugger's port would clash with the parent's.
      execArgv: process.execArgv.filter((flag) => !flag.startsWith('--inspect')),
      serialization: 'advanced',
    });
    let reply: LoadReply | undefined;
    child.once('message', (message: LoadReply) => {
      reply = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (reply === undefined)
        reject(new Error(`the config loader ended without an answer (${signal ?? `exit ${code}`})`));
      else if (reply.kind === 'loaded') resolve(reply.loaded);
      else if (reply.kind === 'invalid') reject(new ConfigError(reply.issues));
      else reject(new Error(reply.message));
    });
    child.send(options);
  });
}
