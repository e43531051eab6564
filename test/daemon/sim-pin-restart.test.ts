import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import type { DaemonProcess } from '../helpers/daemon.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

// A refused PIN is kept in the journal: a restart of the daemon (here the exit-75 restart request, as systemd would
// start it again) must not send the same wrong PIN and burn another of the SIM's three tries. The simulator's AT log
// counts every PIN the SIM was sent.

const WRONG = '86420975';
const RIGHT = '13572468';
const base = 'pinrestart';
let broker: MosquittoBroker;
let rig: ProcessRig | undefined;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const pinEntries = () => rig!.sim.modem.log().filter((e) => e.direction === 'in' && /^AT\+CPIN=/.test(e.text)).length;
const cpinQueries = () =>
  rig!.sim.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CPIN?')).length;

async function rejected(process: DaemonProcess): Promise<void> {
  await process.waitForLog('sim_pin_rejected', (line) => line.cause === 'sim_pin_rejected', 20_000);
}

describe('a refused PIN is remembered across restarts of the daemon', () => {
  it('the wrong PIN is sent exactly once across a restart; the right one in the pin_file and SIGHUP unlock; once unlocked, a once-refused PIN may be tried again', async () => {
    rig = await startProcessRig({
      base,
      broker,
      sim: { profile: 'quectel', pin: RIGHT },
      dirPrefix: 'm2m pin restart ',
      beforeDaemon: ({ dir }) => writeFileSync(join(dir, 'pin'), `${WRONG}\n`, { mode: 0o600 }),
      config: ({ dir }) => ({
        modem: { pin_file: join(dir, 'pin'), sim_recheck_seconds: 0.05, sim_recheck_max_seconds: 0.2 },
      }),
    });
    const { app, sim, dir } = rig;
    const pinFile = join(dir, 'pin');
    let daemon = rig.daemon;
    await rejected(daemon);
    expect(pinEntries()).toBe(1);

    // The restart request: the daemon exits 75 and is started again (by systemd in the field, by the test here).
    await app.client.publishAsync(`${base}/bridge/request/restart`, '{}', { qos: 1 });
    expect(await daemon.exited(15_000)).toBe(EXIT.restart);
    const first = daemon;
    daemon = rig.restart();
    await rejected(daemon);
    const before = cpinQueries();
    await waitFor('rechecks after the restart', () => cpinQueries() >= before + 5, 20_000);
    expect(pinEntries()).toBe(1);
    expect(sim.modem.state().sim).toBe('pin_required');
    // modem/state is coalesced (at most one a second): the restarted daemon's latest one says it too.
    const state = await waitFor('modem/state of the restarted daemon', () => {
      const last = JSON.parse(app!.on(`${base}/modem/state`).at(-1)!.text);
      return last.cause === 'sim_pin_rejected' ? last : undefined;
    });
    expect(state).toMatchObject({ cause: 'sim_pin_rejected', sim_lock: { lock: 'SIM PIN', attempts_left: 2 } });

    // The right PIN in the file and a reload: the changed PIN is tried, once, and unlocks.
    writeFileSync(pinFile, `${RIGHT}\n`, { mode: 0o600 });
    daemon.child.kill('SIGHUP');
    await app.waitFor(
      'modem ready',
      (m) => m.topic === `${base}/modem/state` && JSON.parse(m.text).status === 'ready',
      20_000,
    );
    expect(pinEntries()).toBe(2);
    expect(sim.modem.state().sim).toBe('ready');
    // Neither PIN is in a log line, nor in the journal's files.
    for (const process of [first, daemon]) expect(process.output).not.toMatch(new RegExp(`${WRONG}|${RIGHT}`));
    await daemon.signal('SIGTERM');
    expect(readFileSync(join(dir, 'journal.db')).includes(WRONG)).toBe(false);

    // Unlocked, the SIM's counter is full again and its refusals are forgotten: the technician stops the daemon, sets
    // the SIM's PIN to the value it once refused (`m2m-bridge sim change-pin`) and configures it; after a power
    // cycle the daemon sends it, once, and the SIM opens. Had the refusal been kept, the daemon would say
    // sim_pin_rejected here and never send it.
    writeFileSync(join(dir, 'wrong'), `${WRONG}\n`, { mode: 0o600 });
    const rightFile = join(dir, 'right');
    writeFileSync(rightFile, `${RIGHT}\n`, { mode: 0o600 });
    const changed = await runCli([
      'sim',
      'change-pin',
      '--port',
      sim.path,
      '--pin-file',
      rightFile,
      '--new-pin-file',
      join(dir, 'wrong'),
    ]);
    expect(changed.code).toBe(0);
    writeFileSync(pinFile, `${WRONG}\n`, { mode: 0o600 });
    sim.modem.reboot();
    await sim.modem.whenPoweredOn();
    const entriesBefore = pinEntries();
    daemon = rig.restart();
    await app.waitFor(
      'modem ready with the once-refused PIN',
      (m) => m.topic === `${base}/modem/state` && JSON.parse(m.text).status === 'ready' && pinEntries() > entriesBefore,
      20_000,
    );
    expect(pinEntries()).toBe(entriesBefore + 1);
    expect(sim.modem.state().sim).toBe('ready');
  }, 90_000);
});
