import { readdir, readFile, readlink } from 'node:fs/promises';

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

async function pidsOf(proc: string): Promise<number[]> {
  try {
    return (await readdir(proc)).filter((entry) => /^\d+$/.test(entry)).map(Number);
  } catch {
    return [];
  }
}

async function describe(proc: string, pid: number): Promise<Holder> {
  const name = (await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '?')).trim();
  // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
  const stat = await readFile(`${proc}/${pid}/stat`, 'utf8').catch(() => '');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0) || 0;
  return { pid, name, ppid };
}

/** One pass over /proc: who has `device` open, and for /dev/pts/N who holds its master. `self` is left out. */
export async function portUse(device: string, self: number, proc = '/proc'): Promise<PortUse> {
  const ptyIndex = /^\/dev\/pts\/(\d+)$/.exec(device)?.[1];
  const use: PortUse = { holders: [], ptyCreators: [] };
  for (const pid of await pidsOf(proc)) {
    if (pid === self) continue;
    let fds: string[];
    try {
      fds = await readdir(`${proc}/${pid}/fd`);
    } catch {
      continue; // another user's process (not root), or it ended
    }
    let holds = false;
    let creates = false;
    for (const fd of fds) {
      try {
        const target = await readlink(`${proc}/${pid}/fd/${fd}`);
        if (target === device) holds = true;
        else if (ptyIndex !== undefined && !creates && MASTER_PATHS.has(target)) {
          const info = await readFile(`${proc}/${pid}/fdinfo/${fd}`, 'utf8');
          creates = new RegExp(`^tty-index:\\s*${ptyIndex}$`, 'm').test(info);
        }
      } catch {
        // the fd closed, or the process ended, meanwhile
      }
    }
    if (holds || creates) {
      const holder = await describe(proc, pid);
      if (holds) use.holders.push(holder);
      if (creates) use.ptyCreators.push(holder);
    }
  }
  return use;
}

/** Whether a process named ModemManager runs (it probes every new tty it sees unless udev says ID_MM_DEVICE_IGNORE). */
export async function modemManagerRunning(proc = '/proc'): Promise<boolean> {
  for (const pid of await pidsOf(proc)) {
    const name = await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '');
    if (name.trim() === 'ModemManager') return true;
  }
  return false;
}
