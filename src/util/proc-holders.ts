import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

// Synchronous reads on purpose: /proc answers from memory, a pass takes a few ms, and it runs at start (the daemon's
// conflict check) or in one-shot commands. node:fs/promises would stay loaded in the daemon for its whole life for
// that one pass (≈ 1 MB of RSS with the unit's flags). The exports stay async so that callers need not care.

/** A process with the device open, as /proc shows it. */
export interface Holder {
  pid: number;
  /** /proc/<pid>/comm: the executable's name, at most 15 characters. */
  name: string;
  /** The parent's pid (0 when unknown). */
  ppid: number;
}

interface PortUse {
  /** Processes with the device itself open (only those this user may inspect, unless root). */
  holders: Holder[];
  /**
   * For a pseudo-terminal /dev/pts/N: the processes holding its master side (/dev/ptmx with `tty-index: N` in
   * /proc/<pid>/fdinfo, Linux ≥ 4.15). They created it — socat, ser2net, the simulator — and hold it by design.
   */
  ptyCreators: Holder[];
}

const MASTER_PATHS = new Set(['/dev/ptmx', '/dev/pts/ptmx']);

function pidsOf(proc: string): number[] {
  try {
    return readdirSync(proc)
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return [];
  }
}

/** A file's text, or `fallback` when it cannot be read (the process ended, or belongs to another user). */
function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function describe(proc: string, pid: number): Holder {
  const name = readOr(`${proc}/${pid}/comm`, '?').trim();
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
  const stat = readOr(`${proc}/${pid}/stat`, '');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0) || 0;
  return { pid, name, ppid };
}

/** One pass over /proc: who has `device` open, and for /dev/pts/N who holds its master. `self` is left out. */
export async function portUse(device: string, self: number, proc = '/proc'): Promise<PortUse> {
  const ptyIndex = /^\/dev\/pts\/(\d+)$/.exec(device)?.[1];
  const use: PortUse = { holders: [], ptyCreators: [] };
  for (const pid of pidsOf(proc)) {
    if (pid === self) continue;
    let fds: string[];
    try {
      fds = readdirSync(`${proc}/${pid}/fd`);
    } catch {
      continue; // another user's process (not root), or it ended
    }
    let holds = false;
    let creates = false;
    for (const fd of fds) {
      try {
        const target = readlinkSync(`${proc}/${pid}/fd/${fd}`);
        if (target === device) holds = true;
        else if (ptyIndex !== undefined && !creates && MASTER_PATHS.has(target)) {
          const info = readFileSync(`${proc}/${pid}/fdinfo/${fd}`, 'utf8');
          creates = new RegExp(`^tty-index:\\s*${ptyIndex}$`, 'm').test(info);
        }
      } catch {
        // the fd closed, or the process ended, meanwhile
      }
    }
    if (holds || creates) {
      const holder = describe(proc, pid);
      if (holds) use.holders.push(holder);
      if (creates) use.ptyCreators.push(holder);
    }
  }
  return use;
}

/** Whether a process named ModemManager runs (it probes every new tty it sees unless udev says ID_MM_DEVICE_IGNORE). */
export async function modemManagerRunning(proc = '/proc'): Promise<boolean> {
  for (const pid of pidsOf(proc)) {
    const name = readOr(`${proc}/${pid}/comm`, '');
    if (name.trim() === 'ModemManager') return true;
  }
  return false;
}
