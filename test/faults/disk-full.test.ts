import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePdu } from '../../src/sms/index.js';
import { openSqliteJournal } from '../../src/store/index.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';
import { checkCommands, FaultRig } from './rig.js';
import { SmallDisk } from './tmpfs.js';

let broker: MosquittoBroker;
let disk: SmallDisk;
let rig: FaultRig;
beforeAll(async () => {
  broker = await MosquittoBroker.start();
  disk = SmallDisk.mount(2 * 1024 * 1024);
});
afterAll(async () => {
  await rig?.close();
  disk?.unmount();
  await broker.close();
});

/** Texts of the SMS still stored on the simulated SIM/modem memory. */
function onSim(r: FaultRig): string[] {
  return r.sim.modem
    .storage()
    .flatMap((memory) => memory.messages)
    .map((message) => decodePdu(message.pdu, { smsc: true }))
    .flatMap((sms) => (sms.type === 'SMS-DELIVER' && sms.text !== null ? [sms.text] : []));
}

describe("the journal's disk full (a 2 MB tmpfs filled to ENOSPC)", () => {
  it('stops deleting from the modem, raises the alarm on bridge/state, loses nothing, and catches up when space returns', {
    timeout: 90_000,
  }, async () => {
    rig = await FaultRig.create(broker, { storePath: join(disk.dir, 'journal.db') });
    const r = rig;
    r.startDaemon();
    await r.waitModemReady();
    const injected: string[] = [];
    const inject = (body: string) => {
      r.sim.modem.injectSms({ from: '2936', text: body });
      injected.push(body);
    };
    for (let i = 0; i < 3; i++) inject(`before full ${i}`);
    await r.waitCommands(injected);

    const filled = disk.fill();
    console.log(`[faults] disk full: filler took ${filled} bytes of the 2 MB tmpfs`);
    // SQLite may still reuse space its WAL already holds; commands keep arriving until a commit fails.
    const alarmed = () =>
      r.app
        .on(r.topic('bridge/state'))
        .some(
          (m) => (JSON.parse(m.text) as { alarms?: { code: string }[] }).alarms?.[0]?.code === 'journal_write_failed',
        );
    for (let i = 0; i < 60 && !alarmed(); i++) {
      inject(`while full ${i}`);
      await delay(100);
    }
    await waitFor('journal_write_failed alarm on bridge/state', alarmed, 15_000);
    for (let i = 0; i < 5; i++) inject(`after the alarm ${i}`);

    // Two sweeps later (sweep_interval_seconds: 5) the daemon has tried again and still cannot commit: nothing it
    // could not journal was deleted — every command is published or still on the SIM.
    const mark = r.sim.modem.log().at(-1)?.seq ?? 0;
    await waitFor(
      'two storage sweeps while the disk is full',
      () => r.sim.modem.log(mark).filter((e) => e.direction === 'in' && e.text.startsWith('AT+CMGL')).length >= 2,
      20_000,
    );
    const published = new Set(r.commands().map((c) => c.body));
    const stored = new Set(onSim(r));
    expect(injected.filter((body) => !published.has(body) && !stored.has(body))).toEqual([]);
    expect(stored.size, 'commands kept on the SIM while the journal cannot take them').toBeGreaterThanOrEqual(5);
    expect(r.daemon?.child.exitCode).toBeNull();

    disk.free();
    await r.waitCommands(injected, 30_000);
    await waitFor('the SIM drained', () => r.storedOnSim() === 0, 20_000);
    await waitFor(
      'alarm cleared on bridge/state',
      () => r.app.on(r.topic('bridge/state')).at(-1)?.text === '{"state":"online"}',
    );
    const check = checkCommands(r.commands(), injected);
    expect(check.splitIds).toEqual([]);
    expect(check.mergedBodies).toEqual([]);
    console.log(
      `[faults] disk full: ${injected.length} commands, ${stored.size} held on the SIM while full, ` +
        `${check.published} published after space returned (${check.duplicates} duplicate copies)`,
    );
    const journal = openSqliteJournal({ path: r.storePath, readonly: true });
    try {
      expect(journal.integrityCheck()).toBe('ok');
    } finally {
      journal.close();
    }
  });
});
