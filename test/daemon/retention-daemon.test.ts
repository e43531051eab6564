import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess | undefined;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'generic' });
  dir = mkdtempSync(join(tmpdir(), 'm2m-retention-daemon-'));
}, 30_000);

afterAll(async () => {
  await daemon?.kill();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('m2m-bridge run: journal retention', () => {
  it('prunes history older than store.retention_days at start, keeping recent history and pending replies', async () => {
    const path = join(dir, 'journal.db');
    const day = 86_400_000;
    let time = Date.now() - 40 * day;
    // A journal as a gateway would have it after weeks: old finished history, one old reply never sent.
    const journal = openSqliteJournal({ path, now: () => time });
    for (let i = 0; i < 20; i++) {
      journal.recordInbound({
        key: `old-${i}`,
        kind: 'command',
        sender: '2936',
        payload: '{"body":"old"}',
        publish: true,
      });
      journal.markPublished(`old-${i}`);
    }
    const stuck = journal.enqueueReply({
      transaction: 'stuck',
      destination: '2936',
      mode: 'text',
      body: 'x',
      parts: 1,
    });
    journal.markSending(stuck.entry.id); // interrupted mid-send: recovered as failed, but only now, so it is kept
    time = Date.now() - 2 * day;
    journal.recordInbound({
      key: 'recent',
      kind: 'command',
      sender: '2936',
      payload: '{"body":"recent"}',
      publish: true,
    });
    journal.markPublished('recent');
    journal.close();

    daemon = DaemonProcess.start(
      dir,
      daemonConfig(
        { serialPath: sim.path, mqttUrl: broker.url, baseTopic: 'gw-retention', storePath: path },
        { store: { retention_days: 30 }, log: { level: 'debug' } },
      ),
    );
    const line = await daemon.waitForLog('retention pass', (l) => l.msg === 'journal retention', 20_000);
    expect(line.removed).toMatchObject({ inbox: 20 });
    expect(line.usage).toMatchObject({ incremental_vacuum: true });

    // Read beside the running daemon.
    const result = await runCli(['history', '--store-path', path, '--json']);
    expect(result.code).toBe(0);
    const ids = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    expect(ids).toEqual(['recent', stuck.entry.id]);
    expect(await daemon.signal('SIGTERM')).toBe(0);
  }, 40_000);
});
