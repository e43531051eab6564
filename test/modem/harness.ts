import { serialTransport } from '../../src/at/serial-transport.js';
import { Modem, type ModemOptions } from '../../src/modem/modem.js';
import type { ModemTiming } from '../../src/modem/timing.js';
import type { MessageConsumer, ModemState, ReceivedSms } from '../../src/modem/types.js';
import { systemClock } from '../../src/util/clock.js';
import { createLogger, silentLogger } from '../../src/util/logger.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

/** A consumer that records every message it accepted, like the journal would; can be told to fail or stall. */
export class RecordingConsumer implements MessageConsumer {
  readonly accepted: ReceivedSms[] = [];
  failNext = 0;
  gate: Promise<void> | undefined;

  /** Calls to accept() so far, including ones still waiting at the gate. */
  entered = 0;

  async accept(sms: ReceivedSms): Promise<void> {
    this.entered++;
    if (this.gate) await this.gate;
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('journal unavailable');
    }
    this.accepted.push(sms);
  }

  texts(): string[] {
    return this.accepted.map((m) => (m.decoded && 'text' in m.decoded ? (m.decoded.text ?? '') : `<${m.pdu}>`));
  }
}

export const FAST_TIMING: Partial<ModemTiming> = {
  reopenMinMs: 50,
  reopenMaxMs: 400,
  statusIntervalMs: 400,
  sweepIntervalMs: 60_000,
  consumerRetryMs: 200,
  readyTimeoutMs: 8000,
  simRecheckMinMs: 100,
  simRecheckMaxMs: 400,
  commandTimeoutMs: 1500,
};

export interface Rig {
  sim: TestModemSim;
  modem: Modem;
  consumer: RecordingConsumer;
  states: ModemState[];
  close(): Promise<void>;
}

/** A simulated modem on a real pty (socat) and our driver on the other end through serialport. */
export async function startRig(
  simOptions: Parameters<typeof startTestModemSim>[0] = {},
  modemOptions: Partial<ModemOptions> = {},
  beforeStart?: (sim: TestModemSim) => void,
): Promise<Rig> {
  const sim = await startTestModemSim(simOptions);
  beforeStart?.(sim);
  const consumer = new RecordingConsumer();
  const logger = process.env['M2M_TEST_LOG'] ? createLogger({ level: process.env['M2M_TEST_LOG'] }) : silentLogger();
  const modem = new Modem({
    transportFactory: () => serialTransport(sim.path),
    clock: systemClock,
    logger,
    consumer,
    timing: FAST_TIMING,
    ...modemOptions,
  });
  const states: ModemState[] = [];
  modem.on('state', (e) => states.push(e.state));
  modem.start();
  return {
    sim,
    modem,
    consumer,
    states,
    close: async () => {
      await modem.stop();
      await sim.close();
    },
  };
}

export function waitForState(modem: Modem, state: ModemState, deadlineMs = 15_000): Promise<boolean> {
  return waitFor(
    `modem state ${state} (now ${modem.state}: ${modem.status().reason})`,
    () => modem.state === state,
    deadlineMs,
  );
}

/** Waits until the consumer holds `count` messages and the modem's storage is empty again. */
export async function waitForDrained(rig: Rig, count: number, deadlineMs = 15_000): Promise<void> {
  await waitFor(
    `${count} messages accepted (have ${rig.consumer.accepted.length}) and storage empty`,
    () => rig.consumer.accepted.length >= count && rig.sim.modem.storage().every((s) => s.used === 0),
    deadlineMs,
  );
}
