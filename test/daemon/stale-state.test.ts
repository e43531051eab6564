import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// README, "The MQTT contract": modem/state shows a value as current only while it is. After an unplug the signal and
// operator are null and the last reading sits under `last_known` with its time; an unregistered modem names no
// operator; a storage that stopped being full stops being reported full at once, not at the next status poll (60 s
// in the daemon binary: no poll can come during this test).

const base = 'stale';
let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess;
let app: TestSubscriber;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'quectel', storage: { ME: 3 } });
  dir = mkdtempSync(join(tmpdir(), 'm2m-stale-'));
  app = await TestSubscriber.connect(broker.url, [`${base}/#`]);
  daemon = DaemonProcess.start(
    dir,
    daemonConfig({ serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') }),
  );
  await waitForState('ready', (s) => s.status === 'ready' && s.operator !== null);
}, 40_000);

afterAll(async () => {
  await daemon?.kill();
  await app?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A modem/state payload as a program reads it (JSON). */
type State = ReturnType<typeof JSON.parse>;
const states = (): State[] => app.on(`${base}/modem/state`).map((m) => JSON.parse(m.text));
const polls = () => sim.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CSQ')).length;

/** The first modem/state after the `after` first ones that matches. */
async function waitForState(
  what: string,
  predicate: (state: State) => boolean,
  after = 0,
  deadlineMs = 20_000,
): Promise<State> {
  return waitFor(`modem/state ${what}`, () => states().slice(after).find(predicate), deadlineMs);
}

/** The `status` request's modem part, as `m2m-bridge status` shows it. */
async function statusModem(transaction: string): Promise<State> {
  await app.client.publishAsync(`${base}/bridge/request/status`, JSON.stringify({ transaction }), { qos: 1 });
  const response = await app.waitFor(
    'status response',
    (m) => m.topic === `${base}/bridge/response/status` && JSON.parse(m.text).transaction === transaction,
  );
  return JSON.parse(response.text).data.modem;
}

describe('modem/state never shows a stale value as current', () => {
  it('not registered: the registration says so and no operator is shown as current', async () => {
    const seen = states().length;
    sim.modem.setFaults({ noNetwork: true });
    const searching = await waitForState(
      'not registered',
      (s) => s.registration !== null && s.registration !== 'home' && s.registration !== 'roaming',
      seen,
    );
    expect(searching).toMatchObject({ status: 'degraded', operator: null, access_technology: null });
    expect(await statusModem('t-reg')).toMatchObject({ operator: null, access_technology: null });
    sim.modem.setFaults({ noNetwork: false });
    await waitForState('registered again', (s) => s.status === 'ready' && s.operator !== null, seen);
  }, 40_000);

  it('storage full: degraded while full, ready as soon as a message finds room (no status poll in between)', async () => {
    const seen = states().length;
    sim.modem.setFaults({ storageFull: true });
    // The message cannot be stored: the modem says so (+QIND: "smsfull") and it waits at the network.
    sim.modem.injectSms({ from: '2936', text: 'waits for room' });
    await waitForState('storage full', (s) => s.status === 'degraded' && /full/.test(s.reason ?? ''), seen);
    const pollsBefore = polls();
    const full = states().length;
    sim.modem.setFaults({ storageFull: false });
    await app.waitFor(
      'the waiting command',
      (m) => m.topic === `${base}/command/received` && JSON.parse(m.text).body === 'waits for room',
    );
    const ready = await waitForState('ready again', (s) => s.status === 'ready', full, 5000);
    expect(ready.storage.used).toBeLessThan(ready.storage.total);
    expect(polls()).toBe(pollsBefore);
  }, 40_000);

  it('unplugged: signal, operator and storage are null, the last reading is under last_known with its time', async () => {
    const before = states().at(-1)!;
    expect(before).toMatchObject({ status: 'ready', last_known: null });
    expect(before.signal.rssi_dbm).toEqual(expect.any(Number));
    await sim.unplug();
    const seen = states().length;
    const gone = await waitForState('disconnected', (s) => s.status === 'disconnected', seen);
    expect(gone).toMatchObject({
      registration: null,
      operator: null,
      access_technology: null,
      signal: { rssi_dbm: null, quality: null },
      storage: { used: null, total: null },
      last_known: { operator: before.operator, signal: before.signal, as_of: expect.any(String) },
    });
    expect(Date.parse(gone.last_known.as_of)).toBeLessThanOrEqual(Date.parse(gone.updated_at));
    expect(await statusModem('t-unplug')).toMatchObject({
      status: 'disconnected',
      operator: null,
      signal: gone.signal,
    });
    await sim.replug();
    const back = await waitForState('ready after the replug', (s) => s.status === 'ready', states().indexOf(gone));
    expect(back).toMatchObject({ last_known: null, operator: before.operator });
  }, 60_000);
});
