import { afterAll, describe, expect, it } from 'vitest';
import { serialTransport } from '../../src/at/serial-transport.js';
import { Modem } from '../../src/modem/modem.js';
import type { MessageConsumer, ReceivedSms } from '../../src/modem/types.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { recordFigures } from './results.js';

/**
 * How fast the driver empties a full storage: the simulator paced at 115200 baud (10 bits per byte) holds 100 stored 160-character messages;
 * the driver reads and deletes all of them. Compared with the time the messages' own +CMGL bytes need on the wire.
 * Target: ratio ≤ 1.3. The clock starts when the driver reports `ready` (init done; the start-up sweep begins) and
 * stops when every message was accepted and the receive queue is idle (the last +CMGD answered).
 */
const BAUD = 115_200;
const COUNT = 100;

let sim: TestModemSim | undefined;
let modem: Modem | undefined;
afterAll(async () => {
  await modem?.stop();
  await sim?.close();
});

function text160(i: number): string {
  const head = `msg ${String(i).padStart(3, '0')} `;
  return head + 'x'.repeat(160 - head.length);
}

describe('modem drain benchmark', () => {
  it(`reads and deletes ${COUNT} stored 160-character messages at ${BAUD} baud`, async () => {
    sim = await startTestModemSim({ profile: 'generic', baud: BAUD, storage: { SM: 255, ME: 255 } });
    for (let i = 0; i < COUNT; i++) sim.modem.injectSms({ from: '+15550100', text: text160(i) });
    const stored = sim.modem.storage().flatMap((s) => s.messages.map((m) => ({ ...m, memory: s.memory })));
    expect(stored).toHaveLength(COUNT);
    // The bytes these messages occupy in a +CMGL=4 answer: header line, PDU line, their CRLFs.
    const wireBytes = stored.reduce((n, m) => {
      const pdu = (m as unknown as { pdu: string }).pdu;
      const header = `+CMGL: ${m.index},0,,${pdu.length / 2 - 1 - Number.parseInt(pdu.slice(0, 2), 16)}`;
      return n + header.length + 2 + pdu.length + 2;
    }, 0);
    const wireMs = (wireBytes * 10 * 1000) / BAUD;

    const accepted: ReceivedSms[] = [];
    const consumer: MessageConsumer = { accept: async (sms) => void accepted.push(sms) };
    const path = sim.path;
    modem = new Modem({
      transportFactory: () => serialTransport(path, BAUD),
      clock: systemClock,
      logger: silentLogger(),
      consumer,
    });
    const ready = new Promise<number>((resolve) =>
      modem!.on('state', (e) => {
        if (e.state === 'ready' || e.state === 'degraded') resolve(performance.now());
      }),
    );
    modem.start();
    const t0 = await ready;
    while (accepted.length < COUNT) await new Promise((r) => setImmediate(r));
    await modem.receiveIdle();
    const t1 = performance.now();
    const drainMs = t1 - t0;
    const ratio = drainMs / wireMs;
    console.table([
      {
        messages: COUNT,
        baud: BAUD,
        wire_bytes: wireBytes,
        wire_ms: Math.round(wireMs),
        drain_ms: Math.round(drainMs),
        per_message_ms: Number((drainMs / COUNT).toFixed(2)),
        ratio: Number(ratio.toFixed(3)),
        target: 1.3,
      },
    ]);
    recordFigures('modem-drain', [
      {
        measure: `drain ${COUNT} stored 160-char SMS (CMGL + CMGD, driver only)`,
        value: `${Math.round(drainMs)} ms`,
        reference: `wire ${Math.round(wireMs)} ms for their +CMGL bytes at ${BAUD}`,
        ratio: `${(100 / ratio).toFixed(0)} % of line rate (${ratio.toFixed(2)}× wire)`,
      },
    ]);
    expect(accepted).toHaveLength(COUNT);
    expect(new Set(accepted.map((m) => m.pdu)).size).toBe(COUNT);
    expect(sim.modem.storage().every((s) => s.used === 0)).toBe(true);
    expect(ratio).toBeLessThanOrEqual(1.3);
  });
});
