import { afterAll, describe, expect, it } from 'vitest';
import { DaemonRig } from './daemon-rig.js';
import { nodeFloorRss } from './node-floor.js';
import { ProcSampler } from './proc-stats.js';
import { recordFigures } from './results.js';
import { serviceNodeOptions } from './service-options.js';
import { Traffic } from './traffic.js';

/**
 * Memory on a small gateway: the daemon's RSS after 50,000 commands (BENCH_RSS_COMMANDS changes the count), read
 * beside its own idle RSS and Node's floor (node with the same flags, empty loop; node-floor.ts); the limit is
 * floor + 15 MB at rest and flat after warm-up. Unpaced simulator so the run takes minutes, not the hours 50,000 paced
 * round trips would; commands only (the soak adds the replies). RSS is read from /proc/<pid>/status of the daemon
 * process; warm-up is the first 20 % of the commands.
 */
const COUNT = Number(process.env.BENCH_RSS_COMMANDS ?? 50_000);
const WARM = Math.round(COUNT * 0.2);

let rig: DaemonRig | undefined;
afterAll(async () => rig?.close());

describe(`daemon RSS over ${COUNT} commands`, () => {
  it(
    `publishes ${COUNT} commands and reports RSS idle, after warm-up and at the end`,
    async () => {
      const floor = await nodeFloorRss(process.env.BENCH_DAEMON_NODE_OPTIONS ?? serviceNodeOptions(), 3_000);
      rig = await DaemonRig.start();
      // Idle means at rest: V8's memory reducer runs its GC some seconds after start-up stops allocating.
      await new Promise((resolve) => setTimeout(resolve, 20_000));
      const sampler = new ProcSampler(rig.pid, () => String(traffic.commands));
      const traffic: Traffic = new Traffic(rig, {
        count: COUNT,
        window: 40,
        replies: false,
        onProgress: (done) => {
          if (done === WARM) sampler.mark('warm-up end');
        },
      });
      const idle = sampler.mark('idle');
      sampler.start(2_000);
      const started = performance.now();
      await traffic.run();
      const seconds = (performance.now() - started) / 1000;
      // Give the daemon a moment to finish publishing bookkeeping, then read the figure the issue asks for.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const end = sampler.mark('end');
      sampler.stop();
      const warm = sampler.samples.find((s) => s.label === 'warm-up end') ?? end;
      const peak = Math.max(...sampler.samples.map((s) => s.rss_mb));
      const growth = (end.rss_mb - warm.rss_mb) / warm.rss_mb;
      console.table(
        sampler.samples.map((s) => ({
          t_s: (s.at_ms / 1000).toFixed(0),
          commands: s.label,
          rss_mb: s.rss_mb.toFixed(1),
          anon_mb: s.rss_anon_mb.toFixed(1),
          cpu_s: s.cpu_s.toFixed(1),
          fds: s.fds,
        })),
      );
      const cpuMs = ((end.cpu_s - idle.cpu_s) * 1000) / COUNT;
      console.log(
        `${COUNT} commands in ${seconds.toFixed(0)} s (${(COUNT / seconds).toFixed(0)}/s unpaced); ` +
          `RSS idle ${idle.rss_mb.toFixed(1)} MB, after ${WARM} ${warm.rss_mb.toFixed(1)} MB, end ${end.rss_mb.toFixed(1)} MB, ` +
          `peak ${peak.toFixed(1)} MB; growth after warm-up ${(growth * 100).toFixed(1)} %; CPU ${cpuMs.toFixed(2)} ms/command`,
      );
      recordFigures('rss-commands', [
        {
          measure: `daemon RSS after ${COUNT} commands (unpaced)`,
          value: `${end.rss_mb.toFixed(1)} MB`,
          reference: `idle ${idle.rss_mb.toFixed(1)} MB (floor + ${(idle.rss_mb - floor.rss_mb).toFixed(1)} MB), peak ${peak.toFixed(1)} MB; Node floor ${floor.rss_mb.toFixed(1)} MB`,
          ratio: `${(growth * 100).toFixed(1)} % growth after ${WARM}; anonymous ${end.rss_anon_mb.toFixed(1)} MB`,
        },
        {
          measure: 'daemon CPU per command (unpaced, journal + publish + AT)',
          value: `${cpuMs.toFixed(2)} ms`,
          reference: `${(COUNT / seconds).toFixed(0)} commands/s unpaced`,
          ratio: '',
        },
      ]);
      expect(traffic.commands).toBe(COUNT);
      expect(traffic.duplicateCommands).toBe(0);
      // Up to 30 ms a command on a loaded shared machine (the default 10-minute bench deadline is too short for 50,000).
    },
    Math.max(600_000, COUNT * 30),
  );
});
