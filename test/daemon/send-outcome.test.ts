import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplySender } from '../../src/bridge/reply-sender.js';
import { ModemAdapter } from '../../src/daemon/modem-adapter.js';
import type { Modem } from '../../src/modem/index.js';
import { encodeSubmit } from '../../src/sms/index.js';
import { openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';
import { systemClock } from '../../src/util/clock.js';
import { silentLogger } from '../../src/util/logger.js';
import { waitFor } from '../helpers/wait.js';
import { FAST_TIMING, type Rig, startRig, waitForState } from '../modem/harness.js';

// The outbound path across the seam between the driver and the bridge (src/daemon/modem-adapter.ts): what the driver
// says about a send must reach the reply sender so that a part that may have gone out is never handed over again.

let rig: Rig | undefined;
let dir: string | undefined;
let journal: SqliteJournal | undefined;
afterEach(async () => {
  journal?.close();
  journal = undefined;
  await rig?.close();
  rig = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const part = () => encodeSubmit({ to: '2936', text: 'slow one' })[0]!;

function openJournal(): SqliteJournal {
  dir = mkdtempSync(join(tmpdir(), 'm2m-send-outcome-'));
  journal = openSqliteJournal({ path: join(dir, 'journal.db') });
  return journal;
}

/**
 * Sends one part through the adapter with `faults` set at the simulator, stops the driver once the simulator saw a
 * line `reached` (named `what`), and returns the error the send failed with.
 */
async function sendStoppedWhen(
  faults: Record<string, number>,
  what: string,
  reached: (line: string) => boolean,
): Promise<unknown> {
  rig = await startRig({}, { timing: { ...FAST_TIMING, commandTimeoutMs: 30_000 } });
  await waitForState(rig.modem, 'ready');
  const r = rig;
  const adapter = new ModemAdapter(
    () => r.modem,
    async () => {},
  );
  r.sim.modem.setFaults(faults);
  const since = r.sim.modem.log().at(-1)?.seq ?? 0;
  // Settled now and inspected later: it fails while the driver stops.
  const sending = adapter.sendPart(part()).then(
    () => {
      throw new Error('the send was expected to fail');
    },
    (error: unknown) => error,
  );
  await waitFor(what, () => r.sim.modem.log(since).find((entry) => entry.direction === 'in' && reached(entry.text)));
  await r.modem.stop();
  return sending;
}

describe('the modem adapter between the driver and the reply sender', () => {
  it('+CMGS answered OK without a reference: handed over once, never again, reported failed (outcome unknown)', async () => {
    // The simulator always prints +CMGS: <mr>; the driver's answer for an OK without one is -1 (send.ts).
    let sends = 0;
    const driver = {
      send: async () => {
        sends++;
        return { message_references: [-1] };
      },
    } as unknown as Modem;
    const adapter = new ModemAdapter(
      () => driver,
      async () => {},
    );
    await expect(adapter.sendPart(part())).resolves.toBeNull();

    const j = openJournal();
    let statuses = 0;
    const sender = new ReplySender({
      journal: j,
      transmitter: adapter,
      encode: (reply) => encodeSubmit({ to: reply.destination, text: reply.body }),
      clock: systemClock,
      logger: silentLogger(),
      retry: { minMs: 10, maxMs: 20 },
      onStatus: () => statuses++,
    });
    const { id } = j.enqueueReply({
      transaction: 't',
      destination: '2936',
      mode: 'text',
      body: 'no mr',
      parts: 1,
    }).entry;
    sends = 0;
    sender.kick();
    await sender.idle();
    await new Promise((resolve) => setTimeout(resolve, 100)); // a retry (10 ms) would have come by now
    await sender.stop();
    expect(sends).toBe(1);
    expect(j.getReply(id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      message_references: [null],
      sent_parts: [true],
      error: { code: 'outcome_unknown' },
    });
    expect(j.listUnpublishedStatus().map((e) => [e.status, e.message_reference, e.error?.code ?? null])).toEqual([
      ['queued', null, null],
      ['failed', null, 'outcome_unknown'],
    ]);
    expect(statuses).toBe(1);
  });

  it('stopping the driver after the PDU was written (daemon stop, modem/restart): maybe sent, never retried', async () => {
    const error = await sendStoppedWhen({ sendDelayMs: 3_000 }, 'the PDU written', (line) => line.endsWith('<ctrl-z>'));
    expect(error).toMatchObject({
      name: 'SendFailure',
      maybe_sent: true,
      cause: expect.objectContaining({
        name: 'SendError',
        cause: expect.objectContaining({ kind: 'canceled', afterInput: true }),
      }),
    });
  });

  it('stopping the driver before the PDU was written: not sent, a retry is safe', async () => {
    // Every answer is late: the send is stuck at AT+CMGF=0, before AT+CMGS and its prompt.
    const error = await sendStoppedWhen({ responseDelayMs: 3_000 }, 'AT+CMGF=0 written', (line) =>
      line.startsWith('AT+CMGF=0'),
    );
    expect(error).toMatchObject({
      name: 'SendFailure',
      maybe_sent: false,
      transient: true,
      cause: expect.objectContaining({
        name: 'SendError',
        cause: expect.objectContaining({ kind: 'canceled', afterInput: false }),
      }),
    });
    expect(rig!.sim.modem.sent()).toHaveLength(0);
  });
});
