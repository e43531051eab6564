import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import type { MosquittoBroker } from '../helpers/mosquitto.js';
import { SeededRandom } from '../helpers/seeded.js';
import { waitFor } from '../helpers/wait.js';
import { checkCommands, FaultRig } from './rig.js';

export interface CrashPlan {
  commands: number;
  replies: number;
  kills: number;
  /** How long the daemon lives between two kills: uniform in [min, max] ms from its start. */
  uptimeMs: [number, number];
  /** Pause between two injected commands / two published replies (uniform in [0, max] ms). */
  commandGapMs: number;
  replyGapMs: number;
  /** Deadline for everything to settle after the last kill. */
  settleMs: number;
}

export interface CrashReport {
  seed: number;
  kills: number;
  published: number;
  duplicates: number;
  sent: number;
  failed: number;
  sentAndFailed: number;
  failureCodes: Record<string, number>;
}

/**
 * The crash scenario behind sigkill.test.ts and sigkill.faults.ts (invariants 1 and 2): commands arrive at the simulated modem and replies are published on MQTT
 * while the daemon is SIGKILLed at seeded random moments and started again. Afterwards, with one daemon left running:
 * every command is published, every copy of a command carries the same id; every reply reached the network at most
 * once, and a reply that did not reach it was reported `failed` on command/status.
 */
export async function runCrashScenario(broker: MosquittoBroker, plan: CrashPlan): Promise<CrashReport> {
  const random = SeededRandom.fromEnvironment();
  const seed = random.seed;
  // Printed first, so a failure can be replayed with M2M_FAULT_SEED.
  console.log(`[faults] SIGKILL scenario seed=${seed} (replay: M2M_FAULT_SEED=${seed})`);
  // Retries start after 2 s instead of 10 s so the run stays short; the backoff still doubles from there.
  const rig = await FaultRig.create(broker, { config: 'commands:\n  send_retry_initial_seconds: 2' });
  try {
    const injected: string[] = [];
    const replies = new Map<string, string>();
    rig.startDaemon();
    // The daemon's persistent session must exist before a program publishes replies to it (a broker keeps QoS 1
    // messages only for sessions it knows); after that, restarts lose nothing.
    await rig.app.waitFor('bridge online', (m) => m.topic === rig.topic('bridge/state') && m.text.includes('online'));

    // Independent schedules from the one seed, drawn up front so the traffic does not change the kill moments.
    const commandGaps = Array.from({ length: plan.commands }, () => random.int(0, plan.commandGapMs));
    const replyGaps = Array.from({ length: plan.replies }, () => random.int(0, plan.replyGapMs));
    const uptimes = Array.from({ length: plan.kills }, () => random.int(...plan.uptimeMs));

    const commandTraffic = (async () => {
      for (let i = 0; i < plan.commands; i++) {
        const body = `cmd ${i} s${seed}`;
        rig.sim.modem.injectSms({ from: '2936', text: body });
        injected.push(body);
        await delay(commandGaps[i] ?? 0);
      }
    })();
    const replyTraffic = (async () => {
      for (let i = 0; i < plan.replies; i++) {
        const transaction = `r-${i}`;
        const body = `reply ${i} s${seed}`;
        replies.set(transaction, body);
        // The broker acknowledges the publisher; the daemon gets it from its persistent session when it runs.
        await rig.reply(body, transaction);
        await delay(replyGaps[i] ?? 0);
      }
    })();
    let kills = 0;
    const killing = (async () => {
      for (const uptime of uptimes) {
        await delay(uptime);
        await rig.killDaemon();
        kills += 1;
        rig.startDaemon();
        // The daemon's persistent session must exist before a program publishes replies to it (a broker keeps QoS 1
        // messages only for sessions it knows); after that, restarts lose nothing.
        await rig.app.waitFor(
          'bridge online',
          (m) => m.topic === rig.topic('bridge/state') && m.text.includes('online'),
        );
      }
    })();
    await Promise.all([commandTraffic, replyTraffic, killing]);

    // Settle: the last daemon publishes everything and gives every reply an outcome.
    const outcome = (transaction: string) =>
      rig.statuses().find((s) => s.transaction === transaction && ['sent', 'delivered', 'failed'].includes(s.status));
    try {
      await waitFor(
        `every command published and every reply settled (seed ${seed})`,
        () =>
          checkCommands(rig.commands(), injected).missing.length === 0 && [...replies.keys()].every((t) => outcome(t)),
        plan.settleMs,
        100,
      );
    } catch (error) {
      console.log(
        `[faults] seed=${seed} not settled: missing commands ${JSON.stringify(checkCommands(rig.commands(), injected).missing)}; ` +
          `unsettled replies ${JSON.stringify([...replies.keys()].filter((t) => !outcome(t)))}; ` +
          `on the SIM ${rig.storedOnSim()}; journal: ${rig.journalSummary()}; last daemon log:\n${rig.daemon?.output.split('\n').slice(-40).join('\n')}`,
      );
      throw error;
    }

    const commands = checkCommands(rig.commands(), injected);
    expect(commands.missing, `commands never published (seed ${seed})`).toEqual([]);
    expect(commands.splitIds, `commands published under two ids (seed ${seed})`).toEqual([]);
    expect(commands.mergedBodies, `one id for two commands (seed ${seed})`).toEqual([]);

    const sentTexts = rig.sentTexts();
    let sent = 0;
    let failed = 0;
    let sentAndFailed = 0;
    const failureCodes: Record<string, number> = {};
    for (const [transaction, body] of replies) {
      const times = sentTexts.filter((text) => text === body).length;
      const statuses = rig.statuses().filter((s) => s.transaction === transaction);
      const reportedFailed = statuses.some((s) => s.status === 'failed');
      const reportedSent = statuses.some((s) => s.status === 'sent' || s.status === 'delivered');
      expect(times, `reply ${transaction} reached the network ${times} times (seed ${seed})`).toBeLessThanOrEqual(1);
      if (times === 0) expect(reportedFailed, `reply ${transaction} neither sent nor failed (seed ${seed})`).toBe(true);
      if (reportedSent) expect(times, `reply ${transaction} reported sent but not at the network`).toBe(1);
      const code = statuses.find((s) => s.status === 'failed')?.error?.code;
      if (code) failureCodes[code] = (failureCodes[code] ?? 0) + 1;
      if (times === 1 && reportedFailed) sentAndFailed += 1;
      else if (times === 1) sent += 1;
      else failed += 1;
    }
    // Only a kill can fail a reply here: `interrupted` (it died mid-send) or `outcome_unknown` (the modem went silent
    // after the PDU). Never a reply given up because the modem was still initialising after a restart.
    expect(
      Object.keys(failureCodes).filter((code) => code !== 'interrupted' && code !== 'outcome_unknown'),
      `replies failed for another reason (seed ${seed}): ${JSON.stringify(failureCodes)}`,
    ).toEqual([]);
    // Nothing reached the network that nobody asked for.
    const asked = new Set(replies.values());
    expect(
      sentTexts.filter((text) => !asked.has(text)),
      'unexpected SMS at the network',
    ).toEqual([]);

    const report = {
      seed,
      kills,
      published: commands.published,
      duplicates: commands.duplicates,
      sent,
      failed,
      sentAndFailed,
      failureCodes,
    };
    console.log(
      `[faults] seed=${seed} kills=${kills}: ${plan.commands} commands → ${commands.published} published ` +
        `(${commands.duplicates} duplicate copies re-published, same id); ${plan.replies} replies → ${sent} sent once, ` +
        `${failed} reported failed, ${sentAndFailed} sent and reported failed (interrupted mid-send); failure codes ${JSON.stringify(failureCodes)}`,
    );
    return report;
  } finally {
    await rig.close();
  }
}
