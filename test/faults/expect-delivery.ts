import { expect } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { checkCommands, type FaultRig } from './rig.js';

/** Traffic a scenario sent through the daemon: the command bodies injected at the modem, replies by transaction. */
export interface Traffic {
  commands: string[];
  replies: Map<string, string>;
}

export function newTraffic(): Traffic {
  return { commands: [], replies: new Map() };
}

export function injectCommand(rig: FaultRig, traffic: Traffic, body: string): void {
  rig.sim.modem.injectSms({ from: '2936', text: body });
  traffic.commands.push(body);
}

export async function publishReply(rig: FaultRig, traffic: Traffic, transaction: string, body: string): Promise<void> {
  traffic.replies.set(transaction, body);
  await rig.reply(body, transaction);
}

/**
 * After a modem fault: the daemon ends `ready` on modem/state (its latest state), every injected command was
 * published with one id per command, and every reply reached the network at most once — a reply that did not was
 * reported `failed`. `mustSend` replies (the fault left the modem able to send) must have reached it exactly once.
 */
export async function expectDelivered(
  rig: FaultRig,
  traffic: Traffic,
  options: { deadlineMs?: number; mustSend?: boolean } = {},
) {
  const deadlineMs = options.deadlineMs ?? 30_000;
  const outcome = (transaction: string) =>
    rig.statuses().find((s) => s.transaction === transaction && ['sent', 'delivered', 'failed'].includes(s.status));
  await waitFor(
    'every command published and every reply settled',
    () =>
      checkCommands(rig.commands(), traffic.commands).missing.length === 0 &&
      [...traffic.replies.keys()].every((t) => outcome(t)),
    deadlineMs,
    50,
  ).catch((error: Error) => {
    const missing = checkCommands(rig.commands(), traffic.commands).missing;
    const unsettled = [...traffic.replies.keys()].filter((t) => !outcome(t));
    throw new Error(
      `${error.message}: missing ${JSON.stringify(missing)}, unsettled ${JSON.stringify(unsettled)}, ` +
        `on the SIM ${rig.storedOnSim()}, journal ${rig.journalSummary()}`,
    );
  });
  await rig.waitModemReady(0, deadlineMs).catch((error: Error) => {
    throw new Error(`${error.message}; modem/state: ${JSON.stringify(rig.modemStates().slice(-3))}`);
  });
  const commands = checkCommands(rig.commands(), traffic.commands);
  expect(commands.splitIds, 'commands published under two ids').toEqual([]);
  expect(commands.mergedBodies, 'one id for two commands').toEqual([]);
  const sent = rig.sentTexts();
  const failed: string[] = [];
  for (const [transaction, body] of traffic.replies) {
    const times = sent.filter((text) => text === body).length;
    expect(times, `reply ${transaction} reached the network ${times} times`).toBeLessThanOrEqual(1);
    const status = outcome(transaction)?.status;
    if (options.mustSend) {
      const error = outcome(transaction)?.error ?? null;
      expect({ transaction, times, status, error }).toEqual({ transaction, times: 1, status: 'sent', error: null });
    } else if (times === 0) expect(status, `reply ${transaction} neither sent nor failed`).toBe('failed');
    if (status === 'failed') failed.push(transaction);
  }
  // The daemon rode the fault out: one process, still running.
  expect(rig.daemons).toHaveLength(1);
  expect(rig.daemon?.child.exitCode).toBeNull();
  return { published: commands.published, duplicates: commands.duplicates, failed };
}
