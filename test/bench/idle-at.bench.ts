import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { DaemonRig } from './daemon-rig.js';
import { recordFigures } from './results.js';
import { BAUD } from './wire.js';

/**
 * Idle AT traffic: the AT commands the daemon sends a modem that has nothing to do, per minute, counted from the
 * simulator's AT log (every line it received, timestamped) over BENCH_IDLE_MINUTES (default 10) idle minutes. The
 * built daemon with the shipped unit's NODE_OPTIONS and default config, the simulator paced at 115200 on a pty, a
 * real Mosquitto. The window starts once the start-up work (init, the start-up sweep, the first status poll) has
 * gone quiet, so it includes the short-interval sweeps after init before the long interval applies.
 *
 * Limit: ≤ 2 commands per idle minute (README, "A quiet idle modem").
 */
const MINUTES = Number(process.env.BENCH_IDLE_MINUTES ?? 10);
const LIMIT_PER_MINUTE = 2;

let rig: DaemonRig | undefined;
afterAll(async () => rig?.close());

describe('idle AT traffic through the daemon at 115200 baud', () => {
  it(`AT commands per idle minute over ${MINUTES} minutes`, { timeout: MINUTES * 60_000 + 120_000 }, async () => {
    rig = await DaemonRig.start({ baud: BAUD, logLimit: 50_000 });
    const r = rig;
    const commands = (since: number) =>
      r.sim.modem.log(since).filter((e) => e.direction === 'in' && /^AT/i.test(e.text));
    // Start-up is over when the line has been silent for 5 s.
    await waitFor(
      'start-up traffic over',
      () => {
        const last = commands(0).at(-1);
        return last !== undefined && Date.now() - Date.parse(last.at) >= 5_000;
      },
      60_000,
      250,
    );
    const mark = r.sim.modem.log().at(-1)?.seq ?? 0;
    const startedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, MINUTES * 60_000));
    const minutes = (Date.now() - startedAt) / 60_000;
    const idle = commands(mark);
    const perMinute = idle.length / minutes;

    const byCommand = new Map<string, number>();
    for (const entry of idle) {
      const name = entry.text.replace(/^(AT[+^#]?[A-Z]+[?]?).*$/i, '$1');
      byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
    }
    console.table([...byCommand].map(([command, count]) => ({ command, count })));
    console.log(
      `[bench] idle: ${idle.length} AT commands in ${minutes.toFixed(1)} min = ${perMinute.toFixed(2)}/min ` +
        `(limit ${LIMIT_PER_MINUTE}/min, ${(perMinute / LIMIT_PER_MINUTE).toFixed(2)}× the limit)`,
    );
    recordFigures('idle-at', [
      {
        measure: `idle AT commands per minute (${minutes.toFixed(0)} idle minutes, default config)`,
        value: `${perMinute.toFixed(2)}/min`,
        reference: `limit ${LIMIT_PER_MINUTE}/min`,
        ratio: `${(perMinute / LIMIT_PER_MINUTE).toFixed(2)}× the limit`,
      },
    ]);
    expect(perMinute).toBeLessThanOrEqual(LIMIT_PER_MINUTE);
  });
});
