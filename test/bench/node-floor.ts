import { spawn } from 'node:child_process';
import { readProc } from './proc-stats.js';

/**
 * Node's own floor: the RSS of `node` with the daemon's NODE_OPTIONS running an empty event loop (one timer, nothing
 * loaded). The daemon's idle RSS is read against it, measured in the same run, so a different Node build or machine
 * moves both figures and the difference stays the daemon's own.
 */
export async function nodeFloorRss(
  nodeOptions: string,
  settleMs: number,
): Promise<{ rss_mb: number; anon_mb: number }> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 2 ** 30)'], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null) throw new Error('the empty node process did not start');
    const sample = readProc(pid);
    return { rss_mb: sample.rss_mb, anon_mb: sample.rss_anon_mb };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}
