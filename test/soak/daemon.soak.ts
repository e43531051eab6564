import { afterAll, describe, expect, it } from 'vitest';
import { DaemonRig } from '../bench/daemon-rig.js';
import { ProcSampler } from '../bench/proc-stats.js';
import { Traffic } from '../bench/traffic.js';
import { summarise } from './summary.js';

/**
 * The soak (README, "Soak"): 50,000 commands and 50,000 replies through the real daemon, the simulator on a pty (unpaced) and a
 * real Mosquitto, with the daemon's RSS, CPU and open file descriptors read from /proc every few seconds.
 *
 * Warm-up is the first 10 % of the commands: V8's heap, SQLite's page cache and the WAL reach their working size.
 * "Flat" compares the median RSS of the samples in the next tenth with the median of the last tenth (medians, so one
 * sample taken just before a GC cannot decide the verdict); the single samples at those two edges are printed too.
 *
 * Bounded: SOAK_COMMANDS (default 50,000) messages, SOAK_MAX_MINUTES (default 45) of traffic, whichever ends first;
 * a run that hits the time bound fails with the counts it reached.
 */
const COUNT = Number(process.env.SOAK_COMMANDS ?? 50_000);
const MAX_MINUTES = Number(process.env.SOAK_MAX_MINUTES ?? 45);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 5_000);
const WINDOW = 40;

let rig: DaemonRig | undefined;
afterAll(async () => rig?.close());

describe('soak', () => {
  it(`${COUNT} commands and ${COUNT} replies: everything delivered, memory and file descriptors flat`, async () => {
    rig = await DaemonRig.start({ logLevel: 'warn' });
    const traffic = new Traffic(rig, {
      count: COUNT,
      window: WINDOW,
      onProgress: (done) => {
        if (done === Math.round(COUNT * 0.1)) sampler.mark('warm-up end');
      },
    });
    const progress = () => `${traffic.commands}/${traffic.repliesSent}`;
    const sampler = new ProcSampler(rig.pid, progress);
    const idle = sampler.mark('idle');
    sampler.start(SAMPLE_MS);
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = setTimeout(() => resolve('deadline'), MAX_MINUTES * 60_000);
    });
    const outcome = await Promise.race([traffic.run().then(() => 'done' as const), deadline]);
    clearTimeout(timer);
    const elapsedS = (performance.now() - started) / 1000;
    const end = sampler.mark('end');
    sampler.stop();

    const summary = summarise(sampler.samples, COUNT, traffic, idle, end, elapsedS);
    const warnings = rig.daemon.lines.filter((line) => Number(line.level) >= 40);
    console.log(`\nsoak: ${outcome} after ${elapsedS.toFixed(0)} s; daemon pid ${rig.pid}`);
    console.table(
      sampler.samples.map((s) => ({
        t_s: (s.at_ms / 1000).toFixed(0),
        'commands/replies': s.label,
        rss_mb: s.rss_mb.toFixed(1),
        anon_mb: s.rss_anon_mb.toFixed(1),
        cpu_s: s.cpu_s.toFixed(1),
        fds: s.fds,
      })),
    );
    console.table([summary.table]);
    console.log(
      `daemon warn/error log lines: ${warnings.length}` +
        (warnings.length > 0 ? ` (first: ${JSON.stringify(warnings[0])})` : ''),
    );
    if (traffic.failures.length > 0) console.log('failures:', traffic.failures);

    expect(outcome, `bounded at ${MAX_MINUTES} min: ${progress()} of ${COUNT}`).toBe('done');
    expect(traffic.commands).toBe(COUNT);
    expect(traffic.duplicateCommands).toBe(0);
    expect(traffic.repliesSent).toBe(COUNT);
    expect(traffic.duplicateReplies).toBe(0);
    expect(traffic.statusSent).toBe(COUNT);
    expect(traffic.statusFailed).toBe(0);
    expect(rig.sim.modem.storage().every((memory) => memory.used === 0 || memory.memory === 'SR')).toBe(true);
    expect(summary.rssGrowth).toBeLessThan(0.1);
    expect(summary.fdGrowth).toBeLessThanOrEqual(2);
  });
});
