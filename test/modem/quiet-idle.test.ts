import { afterEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../device/modem/index.js';
import { waitFor } from '../helpers/wait.js';
import { FAST_TIMING, type Rig, startRig, waitForState } from './harness.js';

/**
 * README, "A quiet idle modem": periodic sweeps at the short interval after init and after anything odd, at the long
 * one once two sweeps in a row found nothing +CMTI had not announced; a quiet sweep reads the counters of the
 * receive and status-report memories and lists only what holds something. Intervals shortened (0.3 s and 3 s), the
 * status poll out of the way: what the simulator hears is the sweeps.
 */
const SHORT_MS = 300;
const LONG_MS = 3000;
const TIMING = { ...FAST_TIMING, statusIntervalMs: 3_600_000, sweepIntervalMs: SHORT_MS, idleSweepIntervalMs: LONG_MS };

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const commands = (r: Rig, since = 0): LogEntry[] =>
  r.sim.modem.log(since).filter((e) => e.direction === 'in' && /^AT/i.test(e.text));
const lastSeq = (r: Rig) => r.sim.modem.log().at(-1)?.seq ?? 0;
/** The quiet sweep's last step: the receive memory's counters (SM on the generic profile). */
const sweepEnds = (r: Rig, since: number) => commands(r, since).filter((e) => e.text === 'AT+CPMS="SM"');

/**
 * Ready, and three sweeps ended since (at most one of them the start-up sweep, which may not have been queued yet when
 * `ready` came): two clean periodic sweeps, so the long interval applies.
 */
async function relaxed(r: Rig): Promise<number> {
  await waitForState(r.modem, 'ready');
  const start = lastSeq(r);
  await waitFor('the start-up sweep and two periodic sweeps', () => sweepEnds(r, start).length >= 3, 10_000);
  return lastSeq(r);
}

/** Milliseconds between the ends of the next two sweeps after `since`. */
async function gapBetweenNextSweeps(r: Rig, since: number, deadlineMs: number): Promise<number> {
  await waitFor('two more sweeps', () => sweepEnds(r, since).length >= 2, deadlineMs);
  const [a, b] = sweepEnds(r, since);
  return Date.parse(b!.at) - Date.parse(a!.at);
}

describe('a quiet idle modem', () => {
  it('idle: each sweep is two counter reads (SR, then SM), no +CMGL, and they come at the long interval', async () => {
    rig = await startRig({ profile: 'generic' }, { timing: TIMING });
    const mark = await relaxed(rig);
    await waitFor('three idle sweeps', () => sweepEnds(rig!, mark).length >= 3, 4 * LONG_MS);
    const trace = commands(rig, mark).map((e) => e.text);
    const upToThird = trace.slice(0, trace.lastIndexOf('AT+CPMS="SM"') + 1);
    expect(upToThird).toEqual([
      'AT+CPMS="SR"',
      'AT+CPMS="SM"',
      'AT+CPMS="SR"',
      'AT+CPMS="SM"',
      'AT+CPMS="SR"',
      'AT+CPMS="SM"',
    ]);
    const ends = sweepEnds(rig, mark).map((e) => Date.parse(e.at));
    expect(ends[2]! - ends[1]!).toBeGreaterThanOrEqual(LONG_MS - 100);
  });

  it('a +CMTI lost on the line: found by the next idle sweep (the bound), then sweeps at the short interval', async () => {
    rig = await startRig({ profile: 'generic' }, { timing: TIMING });
    const mark = await relaxed(rig);
    rig.sim.modem.setFaults({ dropLines: 1 });
    const injected = Date.now();
    rig.sim.modem.injectSms({ from: '2936', text: 'no notice for me' });
    await waitFor('the message read by a sweep', () => rig!.consumer.accepted.length === 1, LONG_MS + 2000);
    expect(Date.now() - injected).toBeLessThanOrEqual(LONG_MS + 2000);
    const log = rig.sim.modem.log(mark);
    expect(log.some((e) => e.text.startsWith('(dropped) +CMTI'))).toBe(true);
    expect(log.some((e) => e.direction === 'in' && e.text.startsWith('AT+CMGL=4'))).toBe(true);
    expect(rig.consumer.texts()).toEqual(['no notice for me']);
    // The sweep had to find it itself: +CMTI is in doubt, so the short interval again.
    expect(await gapBetweenNextSweeps(rig, lastSeq(rig), LONG_MS)).toBeLessThan(LONG_MS / 2);
  });

  it('a full storage (no storage-full URC on this profile): seen by the next idle sweep, degraded, short interval', async () => {
    rig = await startRig({ profile: 'generic', networkRetryMs: 200 }, { timing: TIMING });
    await relaxed(rig);
    rig.sim.modem.setFaults({ storageFull: true });
    rig.sim.modem.injectSms({ from: '2936', text: 'held while full' });
    await waitFor(
      'degraded: storage full',
      () => rig!.modem.state === 'degraded' && /full/.test(rig!.modem.status().reason ?? ''),
      LONG_MS + 2000,
    );
    expect(await gapBetweenNextSweeps(rig, lastSeq(rig), LONG_MS)).toBeLessThan(LONG_MS / 2);
    rig.sim.modem.setFaults({ storageFull: false });
    await waitFor('the held message read', () => rig!.consumer.accepted.length === 1, 10_000);
    await waitForState(rig.modem, 'ready');
  });

  it('announced messages keep the long interval: +CMTI works, nothing odd', async () => {
    rig = await startRig({ profile: 'generic' }, { timing: TIMING });
    const mark = await relaxed(rig);
    rig.sim.modem.injectSms({ from: '2936', text: 'announced' });
    await waitFor('the message read', () => rig!.consumer.accepted.length === 1, 5000);
    const after = lastSeq(rig);
    expect(await gapBetweenNextSweeps(rig, after, 4 * LONG_MS)).toBeGreaterThanOrEqual(LONG_MS - 100);
    // Read by its notice: no listing at all.
    expect(commands(rig, mark).some((e) => e.text.startsWith('AT+CMGL'))).toBe(false);
  });
});
