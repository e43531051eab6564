import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { portUse } from '../../src/util/proc-holders.js';
import { runCli } from '../helpers/cli.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// A modem the table does not know: `ports --probe` asks the ports whether they speak AT. Simulated modems on ptys
// stand in for the ports (a pty has no /sys entry, so they are named with --path).

const sims: TestModemSim[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
});

async function sim(options: Parameters<typeof startTestModemSim>[0]) {
  const started = await startTestModemSim(options);
  sims.push(started);
  return started;
}

describe('m2m-bridge ports --probe', () => {
  it('names the port that answers AT with its make and model, the silent one, and one held by another program', async () => {
    const modem = await sim({ profile: 'ublox' });
    const silent = await sim({ profile: 'generic' });
    silent.modem.setFaults({ hang: true });
    const held = await sim({ profile: 'generic' });
    const holder = spawn('flock', ['--nonblock', held.ptyPath, 'sleep', '30'], { stdio: 'ignore' });
    try {
      await waitFor('flock holding the pty', async () => (await portUse(held.ptyPath, process.pid)).holders.length > 1);
      const before = held.modem.log().length;
      const result = await runCli(
        ['ports', '--probe', '--path', modem.path, '--path', silent.path, '--path', held.path],
        {
          timeoutMs: 30_000,
        },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`${modem.path}  answers AT: u-blox SARA-R410M-02B — usable as serial.path`);
      expect(result.stdout).toContain(`${silent.path}  no answer to AT`);
      expect(result.stdout).toContain(`${held.path}  not probed: held by another process`);
      // The held port was left alone: nothing reached that modem.
      expect(
        held.modem
          .log()
          .slice(before)
          .filter((entry) => entry.direction === 'in'),
      ).toEqual([]);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('--json adds one {"probe"} object per probed port; --path without --probe is a usage error', async () => {
    const modem = await sim({ profile: 'quectel' });
    const result = await runCli(['ports', '--json', '--probe', '--path', modem.path]);
    const probes = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { probe?: unknown })
      .filter((line) => line.probe);
    expect(probes.at(-1)).toEqual({
      probe: { path: modem.path, answers_at: true, identity: 'Quectel EC25', error: null },
    });
    const usage = await runCli(['ports', '--path', modem.path]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--path goes with --probe');
  });
});
