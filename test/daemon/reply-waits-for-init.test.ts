import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { Daemon } from '../../src/daemon/daemon.js';
import { openSqliteJournal } from '../../src/store/index.js';
import { silentLogger } from '../../src/util/logger.js';
import { daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// README: "replies wait in the journal until the modem is ready". A modem whose initialisation failed (here: the SIM
// is not inserted) sits out the reopen pause with no channel; a reply published then must not spend its attempts on
// sends that cannot even start, and must go out once the modem initialises.

let broker: MosquittoBroker | undefined;
let sim: TestModemSim | undefined;
let daemon: Daemon | undefined;
let app: TestSubscriber | undefined;
let dir: string | undefined;

afterEach(async () => {
  await daemon?.stop();
  await app?.close();
  await sim?.close();
  await broker?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  daemon = app = sim = broker = dir = undefined;
});

describe('a reply published while the modem failed its initialisation', () => {
  it('waits (no attempt spent) and is sent once the SIM is back', async () => {
    broker = await MosquittoBroker.start();
    sim = await startTestModemSim({ profile: 'quectel' });
    // Far longer than the test needs: the test ends the fault itself once it saw enough failed inits.
    sim.modem.setFaults({ simNotReady: { code: 10, forMs: 120_000 } });
    dir = mkdtempSync(join(tmpdir(), 'm2m-reply-waits-'));
    const storePath = join(dir, 'journal.db');
    const file = join(dir, 'config.yaml');
    writeFileSync(
      file,
      daemonConfig(
        { serialPath: sim.path, mqttUrl: broker.url, baseTopic: 'rw', storePath },
        // Two attempts one second apart: spent within one reopen pause (2.5 s) if the sender took the pause for a
        // modem able to send.
        { commands: { send_max_attempts: 2, send_retry_initial_seconds: 1, send_retry_max_seconds: 1 } },
      ),
      { mode: 0o600 },
    );
    app = await TestSubscriber.connect(broker.url, ['rw/#']);
    daemon = new Daemon({
      loaded: loadConfig({ configPath: file, env: {}, flags: {} }),
      logger: silentLogger(),
      version: 'test',
      modemTiming: { reopenMinMs: 2500, reopenMaxMs: 2500, statusIntervalMs: 1000 },
    });
    await daemon.start();
    const s = sim;
    const cpinQueries = () => s.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CPIN?')).length;

    await app.waitFor(
      'modem/state naming the missing SIM',
      (m) => m.topic === 'rw/modem/state' && /SIM/.test(JSON.parse(m.text).reason ?? ''),
      20_000,
    );
    const before = cpinQueries();
    await app.client.publishAsync('rw/command/send', JSON.stringify({ body: 'waits', transaction: 't1' }), { qos: 1 });
    await app.waitFor('queued', (m) => m.topic === 'rw/command/status' && JSON.parse(m.text).status === 'queued');
    // Two more failed inits (each after a 2.5 s pause): longer than the two attempts would take.
    await waitFor('two more failed initialisations', () => cpinQueries() >= before + 2, 20_000);
    const statuses = () => app!.on('rw/command/status').map((m) => JSON.parse(m.text).status as string);
    expect(statuses()).toEqual(['queued']);

    sim.modem.setFaults({ simNotReady: null });
    await app.waitFor('sent', (m) => m.topic === 'rw/command/status' && JSON.parse(m.text).status === 'sent', 20_000);
    expect(statuses().filter((status) => status === 'failed')).toEqual([]);
    expect(sim.modem.sent().map((sms) => sms.text)).toEqual(['waits']);
    await daemon.stop();
    const journal = openSqliteJournal({ path: storePath, readonly: true });
    try {
      const reply = journal.history({ direction: 'outbound', limit: 10 })[0]?.entry as { attempts: number };
      expect(reply.attempts).toBe(1);
    } finally {
      journal.close();
    }
  });
});
