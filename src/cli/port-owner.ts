import { readFile, realpath } from 'node:fs/promises';
import { type Holder, portUse } from '../util/proc-holders.js';

/**
 * Who holds a busy serial port, for `at`: the daemon (then the console goes through it over MQTT), or some other
 * program the technician must stop first (minicom, ModemManager, a second console). Processes on the master side of
 * a pseudo-terminal (socat, the simulator) and the program they relay for hold it by design and are left out, as in
 * doctor's check.
 */
type PortOwner = { kind: 'daemon'; pids: number[] } | { kind: 'other'; holders: Holder[] } | { kind: 'unknown' };

/** `m2m-bridge run`, as the installed binary or as `node …/cli.js run`, read from /proc/<pid>/cmdline. */
async function isBridgeDaemon(holder: Holder, proc: string): Promise<boolean> {
  const argv = (await readFile(`${proc}/${holder.pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
  const entry = argv.findIndex((arg) => /(?:^|\/)(?:m2m-bridge|cli\.js)$/.test(arg));
  return entry >= 0 && argv[entry + 1] === 'run';
}

export async function portOwner(path: string, proc = '/proc'): Promise<PortOwner> {
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { kind: 'unknown' };
  }
  const use = await portUse(real, process.pid, proc);
  const relays = new Set(use.ptyCreators.flatMap((creator) => [creator.pid, creator.ppid]));
  const holders = use.holders.filter((holder) => !relays.has(holder.pid));
  if (holders.length === 0) return { kind: 'unknown' }; // another user's process, hidden unless we are root
  const daemons: number[] = [];
  const others: Holder[] = [];
  for (const holder of holders) {
    if (await isBridgeDaemon(holder, proc)) daemons.push(holder.pid);
    else others.push(holder);
  }
  return others.length > 0 ? { kind: 'other', holders: others } : { kind: 'daemon', pids: daemons };
}
