import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { expectDelivered, injectCommand, newTraffic, publishReply } from './expect-delivery.js';
import { FaultRig } from './rig.js';

// Invariant 4 for the SIM, the network and the SMS storage: the daemon reports the fault on modem/state, waits it
// out, ends `ready`, and loses nothing that was stored or queued meanwhile. Replies queued while the modem cannot
// send wait in the journal and go out when it can (README, Troubleshooting: "replies stay queued").

let broker: MosquittoBroker;
let rig: FaultRig | undefined;
beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});
afterAll(async () => broker.close());

// Two attempts, 1 s apart: a reply that waited out a fault shows it was not counted against its attempts.
const CONFIG = 'commands:\n  send_retry_initial_seconds: 1\n  send_max_attempts: 2';

async function readyRig(options: Parameters<typeof FaultRig.create>[1] = {}): Promise<FaultRig> {
  rig = await FaultRig.create(broker, { config: CONFIG, ...options });
  rig.startDaemon();
  await rig.waitModemReady();
  return rig;
}

describe('SIM, network and storage faults: the daemon waits them out and loses nothing', () => {
  it('storage full (no +CMTI, the network holds the SMS), then space again', { timeout: 60_000 }, async () => {
    const r = await readyRig();
    const traffic = newTraffic();
    r.sim.modem.setFaults({ storageFull: true });
    for (let i = 0; i < 8; i++) injectCommand(r, traffic, `held while full ${i}`);
    await waitFor('the network holding 8 SMS', () => r.sim.modem.state().held_by_network === 8);
    await delay(1_000); // a while with the storage full
    r.sim.modem.setFaults({ storageFull: false });
    const result = await expectDelivered(r, traffic);
    expect(result.published).toBe(8);
    expect(r.storedOnSim()).toBe(0);
  });

  it('a storage filled to the last slot before the daemon starts is drained, and what the network held follows', {
    timeout: 60_000,
  }, async () => {
    rig = await FaultRig.create(broker, { config: CONFIG, sim: { storage: { ME: 20, SM: 10 } } });
    const r = rig;
    const traffic = newTraffic();
    // ME holds 20 (Quectel stores in ME); the other 10 wait at the network for space.
    for (let i = 0; i < 30; i++) injectCommand(r, traffic, `stored before start ${i}`);
    expect(r.sim.modem.state().held_by_network).toBe(10);
    r.startDaemon();
    const result = await expectDelivered(r, traffic);
    expect(result.published).toBe(30);
    await waitFor('the SIM emptied', () => r.storedOnSim() === 0);
  });

  it('SIM not ready (+CME ERROR: 14) for 4 s after a modem reboot; a reply queued meanwhile is sent, not failed', {
    timeout: 60_000,
  }, async () => {
    const r = await readyRig();
    const traffic = newTraffic();
    const statesBefore = r.modemStates().length;
    r.sim.modem.reboot();
    r.sim.modem.setFaults({ simNotReady: { code: 14, forMs: 4_000 } });
    await waitFor('modem/state leaves ready', () =>
      r
        .modemStates()
        .slice(statesBefore)
        .some((s) => s.status !== 'ready'),
    );
    await publishReply(r, traffic, 'sim-1', 'queued while the SIM was busy');
    for (let i = 0; i < 4; i++) injectCommand(r, traffic, `sim busy ${i}`);
    const result = await expectDelivered(r, traffic, { mustSend: true });
    expect(result.published).toBe(4);
  });

  it('no network for 4 s: commands wait at the network, a reply is retried (+CMS ERROR: 331) and goes through after', {
    timeout: 60_000,
  }, async () => {
    // +CMS 331 is a transient send error: it spends attempts (1, 2, 4, 8 s apart with 5), which outlast the outage.
    const r = await readyRig({ config: 'commands:\n  send_retry_initial_seconds: 1\n  send_max_attempts: 5' });
    const traffic = newTraffic();
    r.sim.modem.setFaults({ noNetwork: true });
    for (let i = 0; i < 4; i++) injectCommand(r, traffic, `no network ${i}`);
    await publishReply(r, traffic, 'net-1', 'queued without a network');
    await delay(4_000); // the outage itself
    r.sim.modem.setFaults({ noNetwork: false });
    const result = await expectDelivered(r, traffic, { mustSend: true });
    expect(result.published).toBe(4);
    // The outage was reported, not hidden: modem/state said degraded (not registered) meanwhile.
    expect(r.modemStates().some((s) => s.status === 'degraded' && /not registered/.test(s.reason ?? ''))).toBe(true);
  });
});
