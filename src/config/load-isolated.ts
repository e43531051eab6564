import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from './errors.js';
import type { LoadConfigOptions, LoadedConfig } from './load.js';

/** What the loader process answers: the loaded config, the problems found, or an error that is not the config's. */
export type LoadReply =
  | { kind: 'loaded'; loaded: LoadedConfig }
  | { kind: 'invalid'; issues: ConfigIssue[] }
  | { kind: 'failed'; message: string };

/** The loader's end of the private pipe (load-child.ts): stdin, stdout and stderr are the usual three. */
export const LOADER_FD = 3;

/**
 * `loadConfig` in a short-lived child process (load-child.ts), for the daemon: the YAML parser, zod and the schema
 * are ~9 MB of a gateway's RSS for as long as the process lives, and a module once imported is never unloaded. A
 * worker thread is not enough: its malloc arena stays behind after it ends. Same result and the same ConfigError
 * (the same messages) as loadConfig; the child inherits the environment and Node's flags.
 *
 * The options and the answer travel as one line of JSON each over a socket pair on fd 3 that only the two processes
 * hold, so secrets never pass through a pipe another process could read, nor a log. Not Node's IPC channel: setting
 * one up loads node:v8 (its serializer) into the daemon for good, ≈ 2 MB of RSS with the unit's flags, and the config
 * is plain JSON data.
 */
export function loadConfigIsolated(options: LoadConfigOptions): Promise<LoadedConfig> {
  return new Promise((resolve, reject) => {
    // Node's own flags (--jitless …) carry over, a debugger's port would clash with the parent's.
    const execArgv = process.execArgv.filter((flag) => !flag.startsWith('--inspect'));
    const child = spawn(process.execPath, [...execArgv, fileURLToPath(new URL('./load-child.js', import.meta.url))], {
      stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
    });
    const channel = child.stdio[LOADER_FD] as Duplex;
    let answer = '';
    channel.setEncoding('utf8');
    channel.on('data', (chunk: string) => {
      answer += chunk;
    });
    // The child may end before reading everything (a crash at start): its exit says what happened.
    channel.on('error', () => {});
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const reply = parseReply(answer);
      if (reply === undefined)
        reject(new Error(`the config loader ended without an answer (${signal ?? `exit ${code}`})`));
      else if (reply.kind === 'loaded') resolve(reply.loaded);
      else if (reply.kind === 'invalid') reject(new ConfigError(reply.issues));
      else reject(new Error(reply.message));
    });
    channel.write(`${JSON.stringify(options)}\n`);
  });
}

function parseReply(text: string): LoadReply | undefined {
  const line = text.split('\n')[0] ?? '';
  if (line.length === 0) return undefined;
  try {
    return JSON.parse(line) as LoadReply;
  } catch {
    return undefined;
  }
}
