import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { DaemonRig } from './daemon-rig.js';
import { measureMtLatency } from './mt-latency.js';
import { ProcSampler } from './proc-stats.js';
import { recordFigures } from './results.js';
import { BAUD, BITS_PER_BYTE, dialogueBytes, percentile } from './wire.js';

/**
 * Latency, throughput and CPU per message through the real daemon process: the simulator paced at 115200 baud on a pty, a real
 * Mosquitto, the journal on disk (fsynced).
 *
 * - MT latency: one command at a time, from injectSms at the simulator to the MQTT subscriber, beside the wire time of
 *   the bytes the line carried for that message (+CMTI, AT+CMGR and its answer, AT+CMGD and OK; both directions, as
 *   the dialogue is half duplex), counted from the simulator's AT log.
 * - MO throughput: a burst of replies published at once, until the last one left the simulated modem, beside the line
 *   rate limit for the bytes each reply costs on the line (AT+CMGS, prompt, PDU, +CMGS, and the status report that
 *   follows it: +CDSI, AT+CMGR, AT+CMGD).
 * - The daemon's RSS idle and under load, and its CPU time per message, from /proc (its own process).
 * - Baseline in the same process: the same MT commands with the simulator unpaced, so the table shows what the line
 *   costs and what the daemon, journal and broker cost.
 */
const MT_COUNT = Number(process.env.BENCH_MT ?? 200);
const MO_COUNT = Number(process.env.BENCH_MO ?? 100);

let rig: DaemonRig | undefined;
afterAll(async () => rig?.close());
/** The paced run's MT p50, for the unpaced baseline to stand beside. */
let pacedP50 = Number.NaN;

const lastSeq = (r: DaemonRig) => r.sim.modem.log().at(-1)?.seq ?? 0;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

describe('end-to-end through the daemon at 115200 baud', () => {
  it(`MT latency (${MT_COUNT} commands), MO throughput (${MO_COUNT} replies), RSS and CPU`, async () => {
    rig = await DaemonRig.start({ baud: BAUD, logLimit: 50_000 });
    const r = rig;
    // Let start-up work (sweep, identity, first modem/state) finish before measuring idle.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sampler = new ProcSampler(r.pid, () => 'load');
    const idle = sampler.mark('idle');

    sampler.start(250);
    const mtStart = sampler.mark('mt start');
    const { latencies, wires, lines, daemon } = await measureMtLatency(r, MT_COUNT);
    const mtEnd = sampler.mark('mt end');

    // MO: a burst, as a program answering many commands at once would publish it.
    let sent = 0;
    let lastSentAt = 0;
    let lastSentWall = 0;
    r.sim.modem.on('sent', () => {
      sent++;
      lastSentAt = performance.now();
      lastSentWall = Date.now();
    });
    const moSeq = lastSeq(r);
    const moStart = sampler.mark('mo start');
    const t0 = performance.now();
    await Promise.all(Array.from({ length: MO_COUNT }, (_, i) => r.reply(`ok ${i}`, `mo-${i}`)));
    await waitFor('every reply at the simulated network', () => sent >= MO_COUNT, 120_000, 5);
    const moEnd = sampler.mark('mo end');
    const moSeconds = (lastSentAt - t0) / 1000;
    // What the line carried until the last reply went out (status reports of earlier replies included).
    const moBytes = dialogueBytes(r.sim.modem.log(moSeq).filter((e) => Date.parse(e.at) <= lastSentWall));
    sampler.stop();

    const perReplyBytes = (moBytes.toModem + moBytes.fromModem) / MO_COUNT;
    const lineLimit = BAUD / BITS_PER_BYTE / perReplyBytes;
    const moRate = MO_COUNT / moSeconds;
    const loadPeak = Math.max(...sampler.samples.filter((s) => s.at_ms >= mtStart.at_ms).map((s) => s.rss_mb));
    const cpuMt = ((mtEnd.cpu_s - mtStart.cpu_s) * 1000) / MT_COUNT;
    const cpuMo = ((moEnd.cpu_s - moStart.cpu_s) * 1000) / MO_COUNT;
    const p50 = percentile(latencies, 50);
    pacedP50 = p50;
    const p99 = percentile(latencies, 99);
    const wire50 = percentile(wires, 50);
    const wire99 = percentile(wires, 99);
    const line50 = percentile(lines, 50);
    const daemon50 = percentile(daemon, 50);
    const daemon99 = percentile(daemon, 99);

    console.table([
      {
        phase: `MT ${MT_COUNT} × 1`,
        'p50 ms': p50.toFixed(1),
        'p99 ms': p99.toFixed(1),
        'wire p50 ms': wire50.toFixed(1),
        'wire p99 ms': wire99.toFixed(1),
        'p50/wire': (p50 / wire50).toFixed(2),
        'p99/wire': (p99 / wire50).toFixed(2),
        'line ms': line50.toFixed(1),
        'daemon p50 ms': daemon50.toFixed(1),
        'daemon p99 ms': daemon99.toFixed(1),
        'cpu ms/msg': cpuMt.toFixed(2),
      },
    ]);
    console.table([
      {
        phase: `MO burst of ${MO_COUNT}`,
        seconds: moSeconds.toFixed(2),
        'replies/s': moRate.toFixed(1),
        'line bytes/reply': perReplyBytes.toFixed(0),
        'line limit replies/s': lineLimit.toFixed(1),
        'of line rate': `${((moRate / lineLimit) * 100).toFixed(0)} %`,
        'cpu ms/reply': cpuMo.toFixed(2),
      },
    ]);
    const anonPeak = Math.max(...sampler.samples.filter((s) => s.at_ms >= mtStart.at_ms).map((s) => s.rss_anon_mb));
    console.table([
      {
        'rss idle MB': idle.rss_mb.toFixed(1),
        'rss peak under load MB': loadPeak.toFixed(1),
        'anon idle MB': idle.rss_anon_mb.toFixed(1),
        'anon peak MB': anonPeak.toFixed(1),
      },
    ]);

    recordFigures('end-to-end', [
      {
        measure: 'MT latency p50 (inject at simulator → MQTT subscriber, real daemon)',
        value: fmt(p50),
        reference: `wire ${fmt(wire50)} for the same dialogue at ${BAUD}`,
        ratio: `${(p50 / wire50).toFixed(2)}× wire`,
      },
      {
        measure: 'MT latency p99',
        value: fmt(p99),
        reference: `wire p99 ${fmt(wire99)}`,
        ratio: `${(p99 / wire50).toFixed(2)}× wire p50`,
      },
      {
        measure: 'MT latency split: line time (wire time of +CMTI, AT+CMGR and its answer) / daemon time (the rest)',
        value: `line ${fmt(line50)}; daemon p50 ${fmt(daemon50)}, p99 ${fmt(daemon99)}`,
        reference: `wire ${fmt(wire50)} for the whole dialogue (incl. AT+CMGD, OK)`,
        ratio: `line ${(line50 / wire50).toFixed(2)}× + daemon p50 ${(daemon50 / wire50).toFixed(2)}× / p99 ${(daemon99 / wire50).toFixed(2)}× wire`,
      },
      {
        measure: `MO throughput (burst of ${MO_COUNT} replies → sent by the modem)`,
        value: `${moRate.toFixed(1)} replies/s`,
        reference: `line limit ${lineLimit.toFixed(1)}/s (${perReplyBytes.toFixed(0)} line bytes per reply incl. status report)`,
        ratio: `${((moRate / lineLimit) * 100).toFixed(0)} % of line rate`,
      },
      {
        measure: 'daemon RSS idle',
        value: `${idle.rss_mb.toFixed(1)} MB`,
        reference: 'target ≤ 80 MB',
        ratio: `anonymous ${idle.rss_anon_mb.toFixed(1)} MB`,
      },
      {
        measure: 'daemon RSS peak under load (MT + MO phases)',
        value: `${loadPeak.toFixed(1)} MB`,
        reference: 'target ≤ 80 MB',
        ratio: `anonymous ${anonPeak.toFixed(1)} MB`,
      },
      {
        measure: 'daemon CPU per message',
        value: `MT ${cpuMt.toFixed(2)} ms, MO ${cpuMo.toFixed(2)} ms`,
        reference: `line time per MT message ${fmt(wire50)}`,
        ratio: `${((cpuMt / wire50) * 100).toFixed(0)} % of MT wire time`,
      },
    ]);
    expect(latencies).toHaveLength(MT_COUNT);
    expect(sent).toBe(MO_COUNT);
  });

  it(`baseline: the same ${MT_COUNT} MT commands with the simulator unpaced (the pipeline without the line)`, async () => {
    await rig?.close();
    rig = await DaemonRig.start({ logLimit: 50_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { latencies } = await measureMtLatency(rig, MT_COUNT);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    console.table([{ phase: `MT ${MT_COUNT} × 1, unpaced`, 'p50 ms': p50.toFixed(1), 'p99 ms': p99.toFixed(1) }]);
    recordFigures('end-to-end', [
      {
        measure: 'MT latency p50/p99, simulator unpaced (same daemon pipeline, no line)',
        value: `${fmt(p50)} / ${fmt(p99)}`,
        reference: `paced p50 ${fmt(pacedP50)}`,
        ratio: `line accounts for ${fmt(pacedP50 - p50)} of the paced p50`,
      },
    ]);
    expect(latencies).toHaveLength(MT_COUNT);
  });
});
