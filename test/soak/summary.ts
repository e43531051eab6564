import type { ProcSample } from '../bench/proc-stats.js';

type Labelled = ProcSample & { label: string };

export interface SoakSummary {
  /** Relative growth of the median RSS from the tenth after warm-up to the last tenth of the run. */
  rssGrowth: number;
  /** Open descriptors at the end minus at the end of warm-up. */
  fdGrowth: number;
  table: Record<string, string | number>;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Progress of a sample, read back from its `commands/replies` label (replies delivered / count). */
function progressOf(sample: Labelled, count: number): number {
  const replies = Number(/\/(\d+)$/.exec(sample.label)?.[1] ?? Number.NaN);
  return replies / count;
}

/**
 * The soak's verdict figures. Samples are placed by the replies delivered when they were taken; the warm-up edge is the
 * sample marked at 10 %, and a window's median is used where there are samples in it (the edge sample otherwise).
 */
export function summarise(
  samples: Labelled[],
  count: number,
  traffic: { commands: number; repliesSent: number },
  idle: Labelled,
  end: Labelled,
  elapsedS: number,
): SoakSummary {
  const warm = samples.find((s) => s.label === 'warm-up end') ?? end;
  const inWindow = (from: number, to: number) =>
    samples.filter((s) => {
      const p = progressOf(s, count);
      return p >= from && p <= to;
    });
  const afterWarm = inWindow(0.1, 0.2);
  const last = inWindow(0.9, 1);
  const warmRss = afterWarm.length > 0 ? median(afterWarm.map((s) => s.rss_mb)) : warm.rss_mb;
  const endRss = last.length > 0 ? median(last.map((s) => s.rss_mb)) : end.rss_mb;
  const peak = Math.max(...samples.map((s) => s.rss_mb));
  const messages = traffic.commands + traffic.repliesSent;
  const cpuS = end.cpu_s - idle.cpu_s;
  const rssGrowth = (endRss - warmRss) / warmRss;
  return {
    rssGrowth,
    fdGrowth: end.fds - warm.fds,
    table: {
      commands: traffic.commands,
      replies: traffic.repliesSent,
      seconds: Math.round(elapsedS),
      'commands/s': Number((traffic.commands / elapsedS).toFixed(1)),
      'rss idle MB': Number(idle.rss_mb.toFixed(1)),
      'rss warm-up end MB': Number(warm.rss_mb.toFixed(1)),
      'rss median 10-20% MB': Number(warmRss.toFixed(1)),
      'rss median 90-100% MB': Number(endRss.toFixed(1)),
      'rss end MB': Number(end.rss_mb.toFixed(1)),
      'rss peak MB': Number(peak.toFixed(1)),
      'anon warm/end MB': `${warm.rss_anon_mb.toFixed(1)}/${end.rss_anon_mb.toFixed(1)}`,
      'rss growth': `${(rssGrowth * 100).toFixed(1)} %`,
      'fds warm/end': `${warm.fds}/${end.fds}`,
      'cpu s': Number(cpuS.toFixed(1)),
      'cpu ms per message': Number(((cpuS * 1000) / Math.max(1, messages)).toFixed(3)),
    },
  };
}
