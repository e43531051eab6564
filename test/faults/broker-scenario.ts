import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import type { MosquittoBroker } from '../helpers/mosquitto.js';
import { SeededRandom } from '../helpers/seeded.js';
import { waitFor } from '../helpers/wait.js';
import { checkCommands, FaultRig } from './rig.js';

export interface BrokerPlan {
  commands: number;
  replies: number;
  /** Broker outages: how long after the traffic started it stops, and for how long (ms). */
  outages: (random: SeededRandom) => { afterMs: number; forMs: number }[];
  commandGapMs: number;
  replyGapMs: number;
  settleMs: number;
}

/**
 * The MQTT broker goes away (stopped by its PID, then started again on the same port with its persistence) while
 * commands arrive at the modem and a local program publishes replies. Nothing is lost: every command is published
 * (at least once, one id per command), every reply reaches the network exactly once and is reported `sent`.
 */
export async function runBrokerScenario(broker: MosquittoBroker, plan: BrokerPlan) {
  const random = SeededRandom.fromEnvironment();
  const seed = random.seed;
  console.log(`[faults] broker outage scenario seed=${seed} (replay: M2M_FAULT_SEED=${seed})`);
  const rig = await FaultRig.create(broker, { config: 'commands:\n  send_retry_initial_seconds: 2' });
  const outages = plan.outages(random);
  try {
    rig.startDaemon();
    await rig.app.waitFor('bridge online', (m) => m.topic === rig.topic('bridge/state') && m.text.includes('online'));
    const injected: string[] = [];
    const replies = new Map<string, string>();
    const commandGaps = Array.from({ length: plan.commands }, () => random.int(0, plan.commandGapMs));
    const replyGaps = Array.from({ length: plan.replies }, () => random.int(0, plan.replyGapMs));
    const started = Date.now();
    let brokerDownMs = 0;
    let outagesDone = 0;

    const commandTraffic = (async () => {
      for (let i = 0; i < plan.commands; i++) {
        const body = `cmd ${i} s${seed}`;
        rig.sim.modem.injectSms({ from: '2936', text: body });
        injected.push(body);
        await delay(commandGaps[i] ?? 0);
      }
    })();
    // Replies are published without waiting for the PUBACK: the program's client keeps them while the broker is away.
    const published: Promise<void>[] = [];
    const replyTraffic = (async () => {
      for (let i = 0; i < plan.replies; i++) {
        const transaction = `r-${i}`;
        const body = `reply ${i} s${seed}`;
        replies.set(transaction, body);
        published.push(rig.reply(body, transaction));
        await delay(replyGaps[i] ?? 0);
      }
    })();
    const outageSchedule = (async () => {
      for (const outage of outages) {
        await delay(Math.max(0, started + outage.afterMs - Date.now()));
        const down = Date.now();
        await broker.stop();
        await delay(outage.forMs);
        await broker.start();
        brokerDownMs += Date.now() - down;
        outagesDone += 1;
      }
    })();
    await Promise.all([commandTraffic, replyTraffic, outageSchedule]);
    await Promise.all(published);

    const outcome = (transaction: string) =>
      rig.statuses().find((s) => s.transaction === transaction && ['sent', 'delivered', 'failed'].includes(s.status));
    await waitFor(
      `every command published and every reply settled (seed ${seed})`,
      () =>
        checkCommands(rig.commands(), injected).missing.length === 0 && [...replies.keys()].every((t) => outcome(t)),
      plan.settleMs,
      100,
    );
    const commands = checkCommands(rig.commands(), injected);
    expect(commands.missing, `seed ${seed}`).toEqual([]);
    expect(commands.splitIds, `seed ${seed}`).toEqual([]);
    expect(commands.mergedBodies, `seed ${seed}`).toEqual([]);
    const sentTexts = rig.sentTexts();
    for (const [transaction, body] of replies) {
      expect(sentTexts.filter((text) => text === body).length, `${transaction} at the network (seed ${seed})`).toBe(1);
      expect(outcome(transaction)?.status, `${transaction} (seed ${seed})`).not.toBe('failed');
    }
    // The daemon never died: it rode out every outage.
    expect(rig.daemons).toHaveLength(1);
    expect(rig.daemon?.child.exitCode).toBeNull();
    console.log(
      `[faults] seed=${seed}: broker down ${outagesDone} times for ${brokerDownMs} ms in total; ` +
        `${plan.commands} commands → ${commands.published} published (${commands.duplicates} duplicate copies, same id); ` +
        `${plan.replies} replies → ${plan.replies} sent once`,
    );
    return { seed, outages: outagesDone, brokerDownMs, ...commands };
  } finally {
    await broker.start();
    await rig.close();
  }
}
