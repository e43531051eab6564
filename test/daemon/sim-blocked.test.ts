import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { openSerial, startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// A SIM that no retry soon can fix (PIN not configured, PIN refused, PUK, no SIM) must leave the daemon calm, as
// ModemManager is: one log line and one modem/state on entering the state, a slow recheck, never the same PIN twice.
// The recheck is shortened to 50 ms doubling to 200 ms, so a few seconds here are a day of rechecks at 30 s → 10 min:
// the counts below are bounded by the number of state changes, while the rechecks (AT+CPIN? in the simulator's log)
// keep growing.

const RECHECKS = 15;
let broker: MosquittoBroker;
let dir: string;
let sim: TestModemSim | undefined;
let daemon: DaemonProcess | undefined;
let app: TestSubscriber | undefined;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());
afterEach(async () => {
  await daemon?.kill();
  await app?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  daemon = app = sim = undefined;
});

async function start(base: string, modem: Record<string, unknown> = {}): Promise<void> {
  app = await TestSubscriber.connect(broker.url, [`${base}/#`]);
  daemon = DaemonProcess.start(dir, config(base, modem));
}

function config(base: string, modem: Record<string, unknown>): string {
  return daemonConfig(
    { serialPath: sim!.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
    { modem: { sim_recheck_seconds: 0.05, sim_recheck_max_seconds: 0.2, ...modem } },
  );
}

const cpinQueries = () => sim!.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CPIN?')).length;
const pinEntries = () => sim!.modem.log().filter((e) => e.direction === 'in' && /^AT\+CPIN=/.test(e.text));
const states = (base: string) => app!.on(`${base}/modem/state`).map((m) => JSON.parse(m.text));

/**
 * Waits for the blocked state, then for RECHECKS more rechecks, and checks that nothing grew with them: the daemon's
 * log lines, modem/state and bridge/info. Returns the last modem/state.
 */
async function expectCalm(base: string, cause: string): Promise<Record<string, unknown>> {
  await app!.waitFor(
    `modem/state with cause ${cause}`,
    (m) => m.topic === `${base}/modem/state` && JSON.parse(m.text).cause === cause,
    20_000,
  );
  const lines = daemon!.lines.length;
  const published = app!.messages.length;
  const before = cpinQueries();
  await waitFor(`${RECHECKS} rechecks`, () => cpinQueries() >= before + RECHECKS, 20_000);
  expect(daemon!.lines.slice(lines)).toEqual([]);
  expect(app!.messages.slice(published)).toEqual([]);
  // Over the whole run: one line on entering the state (no stack), and each topic once per real change.
  const entering = daemon!.lines.filter((line) => line.cause === cause);
  expect(entering).toHaveLength(1);
  expect(JSON.stringify(entering[0])).not.toMatch(/stack|\bat [\w.]+ \(/);
  expect(daemon!.lines.filter((line) => line.msg === 'modem identified')).toHaveLength(1);
  // Each change once (the bridge repeats the current one unchanged after it connected, with the same updated_at).
  const changes = new Set(states(base).map((s) => `${s.status} ${s.updated_at}`));
  expect([...changes].filter((change) => change.startsWith('initializing'))).toHaveLength(1);
  expect([...changes].filter((change) => change.startsWith('not_initialized'))).toHaveLength(1);
  // bridge/info: at the connect, and once more when the identity read before the SIM check changed it.
  expect(app!.on(`${base}/bridge/info`).length).toBeLessThanOrEqual(2);
  const last = states(base).at(-1);
  expect(last).toMatchObject({ status: 'not_initialized', cause, registration: null, operator: null });
  return last;
}

async function ready(base: string): Promise<void> {
  await app!.waitFor(
    'modem ready',
    (m) => m.topic === `${base}/modem/state` && JSON.parse(m.text).status === 'ready',
    20_000,
  );
  expect(states(base).at(-1)).toMatchObject({ cause: null, sim_lock: null });
}

describe('a blocked SIM keeps the daemon calm', () => {
  it('PIN not configured: sim_pin_required with the tries left; a PIN configured and SIGHUP unlock it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-simblock-'));
    sim = await startTestModemSim({ profile: 'quectel', pin: '1234' });
    await start('sb1');
    const last = await expectCalm('sb1', 'sim_pin_required');
    expect(last.sim_lock).toEqual({ lock: 'SIM PIN', attempts_left: 3 });
    expect(last.reason).toMatch(/modem\.pin is not configured/);
    expect(pinEntries()).toHaveLength(0);
    // The identity is read before the SIM check (the ICCID is on the card, readable without its PIN): a locked SIM
    // still says which modem and card this is, on modem/state and in the status request `m2m-bridge status` prints.
    const { manufacturer, model, revision, imei, iccid, imsi } = sim.modem.state().identity;
    const locked = { manufacturer, model, revision, imei, iccid, imsi: null };
    expect(last.identity).toEqual(locked);
    await app!.client.publishAsync('sb1/bridge/request/status', JSON.stringify({ transaction: 'locked' }), { qos: 1 });
    const status = await app!.waitFor('status response', (m) => m.topic === 'sb1/bridge/response/status');
    expect(JSON.parse(status.text).data.modem).toMatchObject({ status: 'not_initialized', identity: locked });
    expect(JSON.parse(app!.on('sb1/bridge/info').at(-1)!.text).modem).toEqual(locked);

    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, '1234\n', { mode: 0o600 });
    writeFileSync(join(dir, 'config.yaml'), config('sb1', { pin_file: pinFile }), { mode: 0o600 });
    daemon!.child.kill('SIGHUP');
    await ready('sb1');
    expect(pinEntries()).toHaveLength(1);
    expect(states('sb1').at(-1).identity).toEqual({ ...locked, imsi });
    expect(daemon!.output).not.toContain('1234');
  }, 60_000);

  it('a wrong PIN is sent once, also across modem/restart; the right one in its place unlocks', async () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-simblock-'));
    sim = await startTestModemSim({ profile: 'simcom', pin: '1234' });
    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, '0000\n', { mode: 0o600 });
    await start('sb2', { pin_file: pinFile });
    const last = await expectCalm('sb2', 'sim_pin_rejected');
    expect(last.sim_lock).toEqual({ lock: 'SIM PIN', attempts_left: 2 });
    expect(pinEntries()).toHaveLength(1);

    // A fresh driver (modem/restart) does not try the refused PIN again either.
    await app!.client.publishAsync('sb2/bridge/request/modem/restart', '{}', { qos: 1 });
    await app!.waitFor('restart answered', (m) => m.topic === 'sb2/bridge/response/modem/restart');
    const before = cpinQueries();
    await waitFor('rechecks after the restart', () => cpinQueries() >= before + 5, 20_000);
    expect(pinEntries()).toHaveLength(1);
    expect(sim.modem.state().sim).toBe('pin_required');

    writeFileSync(pinFile, '1234\n', { mode: 0o600 });
    daemon!.child.kill('SIGHUP');
    await ready('sb2');
    expect(pinEntries()).toHaveLength(2);
    expect(daemon!.output).not.toMatch(/0000|1234/);
  }, 60_000);

  it('PUK: sim_puk with the PUK tries left, and no PIN or PUK is ever sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-simblock-'));
    sim = await startTestModemSim({ profile: 'quectel', pin: '1234' });
    // Three wrong PINs by someone else leave the SIM wanting its PUK.
    const serial = await openSerial(sim.path);
    for (let i = 0; i < 3; i++) await serial.at.command('AT+CPIN="9999"');
    await serial.close();
    expect(sim.modem.state().sim).toBe('puk_required');
    await start('sb3', { pin: '1234' });
    const last = await expectCalm('sb3', 'sim_puk');
    expect(last.sim_lock).toEqual({ lock: 'SIM PUK', attempts_left: 10 });
    expect(pinEntries()).toHaveLength(3); // the three above, none from the daemon
  }, 60_000);

  it('no SIM: sim_missing; a SIM inserted is picked up at the next recheck', async () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-simblock-'));
    sim = await startTestModemSim({ profile: 'quectel' });
    sim.modem.setFaults({ simNotReady: { code: 10, forMs: 600_000 } });
    await start('sb4');
    const last = await expectCalm('sb4', 'sim_missing');
    expect(last.sim_lock).toBeNull();
    sim.modem.setFaults({ simNotReady: null });
    await ready('sb4');
  }, 60_000);
});
