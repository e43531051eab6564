import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * What /proc says about another process, to name it in a conflict message: whether it is an `m2m-bridge run`
 * daemon, and which instance. Reads only the process's own files (cmdline, environ, stat); a process of another user
 * shows only what the kernel lets this user see.
 */
interface BridgeProcess {
  pid: number;
  instance: string | null;
  config: string | null;
}

function argsOf(pid: number, proc: string): string[] {
  try {
    return readFileSync(`${proc}/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((arg) => arg !== '');
  } catch {
    return [];
  }
}

function flagValue(args: string[], flag: string): string | null {
  const at = args.indexOf(flag);
  if (at >= 0 && args[at + 1] !== undefined) return args[at + 1]!;
  const inline = args.find((arg) => arg.startsWith(`${flag}=`));
  return inline ? inline.slice(flag.length + 1) : null;
}

function envValue(pid: number, name: string, proc: string): string | null {
  try {
    const entry = readFileSync(`${proc}/${pid}/environ`, 'utf8')
      .split('\0')
      .find((item) => item.startsWith(`${name}=`));
    return entry ? entry.slice(name.length + 1) || null : null;
  } catch {
    return null; // another user's process
  }
}

/** The daemon behind `pid` (`node …/m2m-bridge run …` or `node …/dist/cli.js run …`), or null for anything else. */
export function bridgeProcess(pid: number, proc = '/proc'): BridgeProcess | null {
  const args = argsOf(pid, proc);
  const script = args.findIndex((arg) => ['m2m-bridge', 'cli.js'].includes(basename(arg)));
  if (script < 0 || args[script + 1] !== 'run') return null;
  return {
    pid,
    instance: flagValue(args, '--instance') ?? envValue(pid, 'M2M_BRIDGE_INSTANCE_NAME', proc),
    config: flagValue(args, '--config'),
  };
}

/** "m2m-bridge instance lte1 (pid 1234)", or with its config file when it has no name. */
export function describeBridge(p: BridgeProcess): string {
  if (p.instance) return `m2m-bridge instance ${p.instance} (pid ${p.pid})`;
  return `m2m-bridge (pid ${p.pid}${p.config ? `, --config ${p.config}` : ''})`;
}

/** /proc/<pid>/stat field 22, the start time in clock ticks since boot; null when the process does not exist. */
export function processStart(pid: number, proc = '/proc'): string | null {
  try {
    const stat = readFileSync(`${proc}/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
