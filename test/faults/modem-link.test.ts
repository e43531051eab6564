import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { expectDelivered, injectCommand, newTraffic, publishReply } from './expect-delivery.js';
import { FaultRig } from './rig.js';

// Invariant 4 (ARCHITECTURE.md): modem faults never end the process; the daemon reports them on modem/state, climbs
// its recovery ladder and ends `ready` — and nothing stored on the way is lost or published under a second id.

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

async function readyRig(): Promise<FaultRig> {
  rig = await FaultRig.create(broker, { config: 'commands:\n  send_retry_initial_seconds: 1' });
  rig.startDaemon();
  await rig.waitModemReady();
  return rig;
}

/** Resolves once the modem received a PDU after `AT+CMGS` (the SMS is on its way; the answer is not back yet). */
function pduWritten(rig: FaultRig, since: number) {
  return waitFor('a PDU written to the modem', () =>
    rig.sim.modem.log(since).find((entry) => entry.direction === 'in' && entry.text.endsWith('<ctrl-z>')),
  );
}

const lastSeq = (rig: FaultRig) => rig.sim.modem.log().at(-1)?.seq ?? 0;

describe('modem faults under traffic: the daemon ends ready, nothing lost or published twice under two ids', () => {
  it('USB modem unplugged while a reply is being sent, replugged 1.5 s later', { timeout: 60_000 }, async () => {
    const r = await readyRig();
    const traffic = newTraffic();
    for (let i = 0; i < 5; i++) injectCommand(r, traffic, `before unplug ${i}`);
    await r.waitCommands(traffic.commands);
    // The network takes 2 s to answer the send, so the unplug lands between the PDU and +CMGS.
    r.sim.modem.setFaults({ sendDelayMs: 2_000 });
    const mark = lastSeq(r);
    await publishReply(r, traffic, 'u-1', 'sent while unplugged');
    await pduWritten(r, mark);
    const statesBefore = r.modemStates().length;
    await r.sim.unplug();
    // The network keeps what arrives while the modem is off, and delivers it once it is back.
    for (let i = 0; i < 5; i++) injectCommand(r, traffic, `while unplugged ${i}`);
    await waitFor('modem/state disconnected', () =>
      r
        .modemStates()
        .slice(statesBefore)
        .some((s) => s.status === 'disconnected'),
    );
    await delay(1_500); // the outage itself: the device stays away this long
    r.sim.modem.setFaults({ sendDelayMs: 0 });
    await r.sim.replug();
    await publishReply(r, traffic, 'u-2', 'after replug');
    const result = await expectDelivered(r, traffic);
    // The interrupted reply may or may not have left; either way it is not sent twice, and the next one goes out.
    expect(r.sentTexts().filter((t) => t === 'after replug')).toHaveLength(1);
    expect(result.published).toBe(10);
    // The power went with the PDU written and no answer: the SMS may or may not have left, so it is not resent but
    // reported failed as outcome_unknown (README: every reply is sent once or reported failed).
    const outcomes = r.statuses().filter((s) => s.transaction === 'u-1' && s.status !== 'queued');
    expect(outcomes.map((s) => [s.status, s.error?.code])).toEqual([['failed', 'outcome_unknown']]);
    expect(r.sentTexts()).not.toContain('sent while unplugged');
  });

  it('modem reboots in the middle of command and reply traffic', { timeout: 60_000 }, async () => {
    const r = await readyRig();
    const traffic = newTraffic();
    for (let i = 0; i < 20; i++) {
      injectCommand(r, traffic, `reboot traffic ${i}`);
      if (i % 4 === 0) await publishReply(r, traffic, `rb-${i}`, `reply around reboot ${i}`);
      if (i === 10) r.sim.modem.reboot();
      await delay(40);
    }
    const result = await expectDelivered(r, traffic);
    expect(result.published).toBe(20);
    // The reboot was seen and recovered from, not slept through.
    expect(r.modemStates().some((s) => s.status !== 'ready')).toBe(true);
    // Replies go out: at most the one whose PDU the rebooting modem had taken is reported failed, as outcome_unknown.
    expect(result.failed.length).toBeLessThanOrEqual(1);
    for (const transaction of result.failed) {
      const failure = r.statuses().find((s) => s.transaction === transaction && s.status === 'failed');
      expect(failure?.error?.code).toBe('outcome_unknown');
    }
  });

  it('line noise, doubled lines and URCs inside responses, echoes and before the prompt', {
    timeout: 60_000,
  }, async () => {
    const r = await readyRig();
    const traffic = newTraffic();
    // echoAfterAte0: a modem that keeps echoing after ATE0, so that URCs inside the echo can happen at all.
    const faults = { garbage: 15, urcInResponse: 30, urcInEcho: 30, urcBeforePrompt: 10, doubleLines: 10 };
    r.sim.modem.setFaults({ ...faults, echoAfterAte0: true });
    for (let i = 0; i < 20; i++) {
      injectCommand(r, traffic, `noisy ${i}`);
      if (i % 2 === 0) await publishReply(r, traffic, `n-${i}`, `noisy reply ${i}`);
      await delay(30);
    }
    // Noise costs nothing: every command published, every reply sent once with its reference.
    const result = await expectDelivered(r, traffic, { mustSend: true });
    expect(result.published).toBe(20);
    // Each fault really fired (the simulator counts them down as they do).
    const left = r.sim.modem.faults();
    for (const [name, armed] of Object.entries(faults))
      expect(left[name as keyof typeof faults], `${name} fired`).toBeLessThan(armed);
  });
});
