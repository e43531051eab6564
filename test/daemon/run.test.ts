import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

const broker = brokerForThisFile();
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess | undefined;
let app: TestSubscriber;
let n = 0;
let base: string;

function config(): string {
  return daemonConfig(
    { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
    { mqtt: { client_id: `daemon-${base}` }, log: { level: 'debug' } },
  );
}

async function setUp(profile: 'generic' | 'quectel' = 'quectel') {
  base = `site${++n}`;
  dir = mkdtempSync(join(tmpdir(), 'm2m-daemon-'));
  sim = await startTestModemSim({ profile });
  app = await TestSubscriber.connect(broker.url, [`${base}/#`], { clientId: `app-${base}`, clean: false });
}

afterEach(async () => {
  await daemon?.kill();
  daemon = undefined;
  await app?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

const commands = () => app.on(`${base}/command/received`).map((m) => JSON.parse(m.text));

describe('m2m-bridge run: simulator over a pty ↔ real Mosquitto, journal on disk', () => {
  it('publishes a Command from 2936, sends a reply back to 2936, and stops cleanly on SIGTERM', async () => {
    await setUp();
    daemon = DaemonProcess.start(dir, config());
    await app.waitFor('bridge online', (m) => m.topic === `${base}/bridge/state` && m.text.includes('online'));
    await waitFor('modem ready', () => app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);

    sim.modem.injectSms({ from: '2936', text: 'reboot now' });
    const received = await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);
    expect(JSON.parse(received.text)).toMatchObject({ body: 'reboot now', mode: 'text', from: '2936', partial: false });
    // Deleted from the SIM only after the journal had it.
    await waitFor('SIM storage emptied', () => sim.modem.storage().every((memory) => memory.used === 0));

    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(`${base}/command/send`, JSON.stringify({ body: 'rebooting', transaction: 'tx-1' }), {
      qos: 1,
    });
    await client.endAsync();
    await waitFor(
      'the reply at the simulated network',
      () => sim.modem.sent().find((sms) => sms.text === 'rebooting'),
      15_000,
    );
    expect(sim.modem.sent()[0]).toMatchObject({ destination: '2936', text: 'rebooting' });
    await app.waitFor('sent status', (m) => m.topic === `${base}/command/status` && m.text.includes('"sent"'));

    expect(await daemon.signal('SIGTERM')).toBe(0);
    const late = await TestSubscriber.connect(broker.url, [`${base}/bridge/state`]);
    const state = await late.waitFor('retained offline', (m) => m.retain);
    await late.close();
    expect(state.text).toBe('{"state":"offline"}');
  });

  it('refuses a broken config with the key named and exit code 78', async () => {
    await setUp();
    daemon = DaemonProcess.start(dir, `${config()}\nmqtt_typo: 1\n`);
    expect(await daemon.exited()).toBe(78);
    expect(daemon.stderr).toMatch(/mqtt_typo/);
  });

  it('refuses a journal written by a newer m2m-bridge with exit code 65 and leaves it as it is', async () => {
    await setUp();
    const path = join(dir, 'journal.db');
    const newer = new Database(path);
    newer.pragma('user_version = 999');
    newer.close();
    const before = readFileSync(path);
    daemon = DaemonProcess.start(dir, config());
    expect(await daemon.exited()).toBe(EXIT.journal);
    expect(daemon.stderr).toMatch(/newer|A damaged journal/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('journals what was on the SIM while the broker is away, survives a SIGKILL, and publishes it after the restart', async () => {
    await setUp();
    for (let i = 0; i < 5; i++) sim.modem.injectSms({ from: '2936', text: `queued ${i}` });
    await broker.stop();
    daemon = DaemonProcess.start(dir, config());
    // The broker is away: the daemon journals and deletes from the SIM, then cannot publish.
    await waitFor(
      'SIM drained into the journal',
      () => sim.modem.storage().every((memory) => memory.used === 0),
      20_000,
    );
    await daemon.kill();
    await broker.start();
    daemon = DaemonProcess.start(dir, config());
    await waitFor('5 commands', () => commands().length >= 5, 20_000);
    expect(new Set(commands().map((c) => c.body))).toEqual(new Set([0, 1, 2, 3, 4].map((i) => `queued ${i}`)));
  });
});
