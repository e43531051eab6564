import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { SeededRandom } from '../helpers/seeded.js';
import { expectDelivered, injectCommand, newTraffic, publishReply } from './expect-delivery.js';
import { FaultRig } from './rig.js';

let broker: MosquittoBroker;
beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());

type Fault = (rig: FaultRig, random: SeededRandom) => Promise<string>;

/** The modem faults of the fast files, drawn at random one after another; each ends with the fault cleared. */
const FAULTS: Record<string, Fault> = {
  unplug: async (rig, random) => {
    const away = random.int(200, 3_000);
    await rig.sim.unplug();
    await delay(away);
    await rig.sim.replug();
    return `unplugged ${away} ms`;
  },
  reboot: async (rig) => {
    rig.sim.modem.reboot();
    return 'rebooted';
  },
  noise: async (rig, random) => {
    rig.sim.modem.setFaults({
      garbage: random.int(1, 10),
      urcInResponse: random.int(1, 20),
      urcInEcho: random.int(1, 20),
      urcBeforePrompt: random.int(1, 5),
      doubleLines: random.int(1, 10),
    });
    return 'line noise';
  },
  hang: async (rig, random) => {
    const silent = random.int(500, 4_000);
    rig.sim.modem.setFaults({ hang: true });
    await delay(silent);
    rig.sim.modem.setFaults({ hang: false });
    return `hung ${silent} ms`;
  },
  storageFull: async (rig, random) => {
    const full = random.int(500, 4_000);
    rig.sim.modem.setFaults({ storageFull: true });
    await delay(full);
    rig.sim.modem.setFaults({ storageFull: false });
    return `storage full ${full} ms`;
  },
  simBusy: async (rig, random) => {
    const busy = random.int(500, 4_000);
    rig.sim.modem.reboot();
    rig.sim.modem.setFaults({ simNotReady: { code: 14, forMs: busy } });
    return `reboot + SIM busy ${busy} ms`;
  },
  noNetwork: async (rig, random) => {
    const lost = random.int(500, 4_000);
    rig.sim.modem.setFaults({ noNetwork: true });
    await delay(lost);
    rig.sim.modem.setFaults({ noNetwork: false });
    return `no network ${lost} ms`;
  },
};

describe('random modem faults under traffic (issue 8 fault suite, long run)', () => {
  it('30 seeded faults while 200 commands arrive and 40 replies go out: ends ready, nothing lost, replies sent once or failed', async () => {
    const random = SeededRandom.fromEnvironment();
    console.log(`[faults] modem chaos seed=${random.seed} (replay: M2M_FAULT_SEED=${random.seed})`);
    // Enough attempts and short retries that a reply outlives the longest fault; hangs climb the recovery ladder.
    const rig = await FaultRig.create(broker, {
      config: 'commands:\n  send_retry_initial_seconds: 1\n  send_retry_max_seconds: 4\n  send_max_attempts: 10',
    });
    try {
      rig.startDaemon();
      await rig.waitModemReady();
      const traffic = newTraffic();
      const names = Object.keys(FAULTS);
      const applied: string[] = [];
      const chaos = (async () => {
        for (let i = 0; i < 30; i++) {
          await delay(random.int(100, 1_500));
          const name = names[random.int(0, names.length - 1)] as string;
          applied.push(await (FAULTS[name] as Fault)(rig, random));
        }
      })();
      const traffic$ = (async () => {
        for (let i = 0; i < 200; i++) {
          injectCommand(rig, traffic, `chaos ${i} s${random.seed}`);
          if (i % 5 === 2) await publishReply(rig, traffic, `c-${i}`, `chaos reply ${i} s${random.seed}`);
          await delay(150);
        }
      })();
      await Promise.all([chaos, traffic$]);
      const result = await expectDelivered(rig, traffic, { deadlineMs: 120_000 });
      expect(result.published).toBe(200);
      const failed = result.failed.map((t) => rig.statuses().find((s) => s.transaction === t && s.status === 'failed'));
      console.log(
        `[faults] seed=${random.seed}: ${applied.length} faults (${applied.join(', ')}); 200 commands → ` +
          `${result.published} published (${result.duplicates} duplicate copies); ${traffic.replies.size} replies → ` +
          `${traffic.replies.size - result.failed.length} sent, ${result.failed.length} failed ` +
          `${JSON.stringify(failed.map((s) => s?.error?.code))}`,
      );
    } finally {
      await rig.close();
    }
  });
});
