import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * What the kernel says about another process (proc(5)): resident memory from /proc/<pid>/status (VmRSS, kB), CPU time
 * from /proc/<pid>/stat (utime + stime, fields 14 and 15, in clock ticks) and open file descriptors (/proc/<pid>/fd).
 * Read from outside, so measuring the daemon costs the daemon nothing.
 */
export interface ProcSample {
  /** Milliseconds since the sampler started. */
  at_ms: number;
  rss_mb: number;
  /**
   * The anonymous part of RSS (heap, stacks, buffers: what the process itself allocated). The rest of RSS is mostly
   * file-backed pages (the node binary, shared libraries) that other processes share.
   */
  rss_anon_mb: number;
  /** User + system CPU seconds since the process started. */
  cpu_s: number;
  fds: number;
}

let ticksPerSecond: number | undefined;

/** sysconf(_SC_CLK_TCK); 100 on every Linux we run on, but asked rather than assumed. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readProc(pid: number, startedAt = 0): ProcSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  const anonKb = Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1] ?? Number.NaN);
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state), so utime (field 14) is fields[11] and stime (field 15) fields[12].
  const ticks = Number(fields[11]) + Number(fields[12]);
  return {
    at_ms: Math.round(performance.now() - startedAt),
    rss_mb: rssKb / 1024,
    rss_anon_mb: anonKb / 1024,
    cpu_s: ticks / clockTicks(),
    fds: readdirSync(`/proc/${pid}/fd`).length,
  };
}

/** Samples a process every `intervalMs` until stop(); samples also on demand (mark) so phases have exact edges. */
export class ProcSampler {
  readonly samples: (ProcSample & { label: string })[] = [];
  private readonly started = performance.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly pid: number,
    private readonly label: () => string,
  ) {}

  start(intervalMs: number): void {
    this.mark();
    this.timer = setInterval(() => this.mark(), intervalMs);
    this.timer.unref();
  }

  mark(label = this.label()): ProcSample & { label: string } {
    const sample = { ...readProc(this.pid, this.started), label };
    this.samples.push(sample);
    return sample;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
