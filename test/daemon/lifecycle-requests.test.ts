import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess, daemonConfig } from '../helpers/daemon.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

// `bridge/request/log_level` and `bridge/request/restart`, through the real binary: `m2m-bridge run` on a simulated
// modem (pty) and a real Mosquitto, driven by `m2m-bridge log-level` / `m2m-bridge restart` and by raw requests.

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let app: TestSubscriber;
const base = 'gw-lifecycle';
const daemons: DaemonProcess[] = [];

function startDaemon(): DaemonProcess {
  const daemon = DaemonProcess.start(
    dir,
    daemonConfig(
      { serialPath: sim.path, mqttUrl: broker.url, baseTopic: base, storePath: join(dir, 'journal.db') },
      { log: { level: 'info' } },
    ),
  );
  daemons.push(daemon);
  return daemon;
}

const onBroker = ['--mqtt-url', '', '--base-topic', base];

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  onBroker[1] = broker.url;
  sim = await startTestModemSim({ profile: 'quectel' });
  dir = mkdtempSync(join(tmpdir(), 'm2m-lifecycle-'));
  app = await TestSubscriber.connect(broker.url, [`${base}/#`]);
}, 30_000);

afterAll(async () => {
  for (const daemon of daemons) await daemon.kill();
  await app?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ready(daemon: DaemonProcess): Promise<void> {
  await daemon.waitForLog('running', (line) => line.msg === 'm2m-bridge running', 20_000);
  await waitFor('modem ready', () => app.on(`${base}/modem/state`).some((m) => m.text.includes('"ready"')), 20_000);
}

const isDebug = (line: Record<string, unknown>) => line.level === 20;

describe('bridge/request/log_level', () => {
  it('turns debug lines on at once, answers with the old and new level, and refuses unknown levels', async () => {
    const daemon = startDaemon();
    await ready(daemon);
    // The sweep runs AT commands, which log at debug: at info, none of them shows.
    app.client.publish(`${base}/bridge/request/sweep`, '{"transaction":"s1"}', { qos: 1 });
    await app.waitFor('sweep answered', (m) => m.topic === `${base}/bridge/response/sweep` && m.text.includes('"s1"'));
    expect(daemon.lines.filter(isDebug)).toEqual([]);

    const changed = await runCli(['log-level', 'debug', ...onBroker]);
    expect(changed.stderr).toBe('');
    expect(changed.code).toBe(0);
    expect(changed.stdout).toBe('log level info → debug (until the daemon restarts)\n');

    app.client.publish(`${base}/bridge/request/sweep`, '{"transaction":"s2"}', { qos: 1 });
    await app.waitFor('sweep answered', (m) => m.topic === `${base}/bridge/response/sweep` && m.text.includes('"s2"'));
    const debug = await daemon.waitForLog('an AT command at debug', (l) => isDebug(l) && l.msg === 'at command');
    expect(debug).toMatchObject({ component: 'modem', tx: expect.stringMatching(/^AT\+CMGL=4|^AT/) });

    const response = `${base}/bridge/response/log_level`;
    // A raw request: the answer names both levels; an unknown level is refused naming the field and the choices.
    app.client.publish(`${base}/bridge/request/log_level`, '{"level":"info","transaction":"l1"}', { qos: 1 });
    const back = await app.waitFor('log_level answered', (m) => m.topic === response && m.text.includes('"l1"'));
    expect(JSON.parse(back.text)).toEqual({
      status: 'ok',
      data: { old_level: 'debug', new_level: 'info', persisted: false },
      error: null,
      transaction: 'l1',
    });
    app.client.publish(`${base}/bridge/request/log_level`, '{"level":"loud","transaction":"l2"}', { qos: 1 });
    const refused = await app.waitFor('log_level refused', (m) => m.topic === response && m.text.includes('"l2"'));
    expect(JSON.parse(refused.text)).toMatchObject({
      status: 'error',
      error: 'level: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    });
    app.client.publish(`${base}/bridge/request/log_level`, '{"transaction":"l3"}', { qos: 1 });
    const missing = await app.waitFor(
      'log_level without a level',
      (m) => m.topic === response && m.text.includes('"l3"'),
    );
    expect(JSON.parse(missing.text).error).toMatch(/^level: expected one of .*, got nothing$/);

    // Back at info: a new sweep adds no debug line.
    const debugLines = daemon.lines.filter(isDebug).length;
    app.client.publish(`${base}/bridge/request/sweep`, '{"transaction":"s3"}', { qos: 1 });
    await app.waitFor('sweep answered', (m) => m.topic === `${base}/bridge/response/sweep` && m.text.includes('"s3"'));
    expect(daemon.lines.filter(isDebug).length).toBe(debugLines);

    // The CLI refuses a typo before it reaches any broker.
    const typo = await runCli(['log-level', 'verbose', ...onBroker]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown level "verbose": expected one of fatal, error, warn, info, debug/);

    expect(await daemon.signal('SIGTERM')).toBe(EXIT.ok);
  }, 60_000);
});

describe('bridge/request/restart', () => {
  it('answers, then stops in order and exits 75; started again, it finds the journal closed cleanly', async () => {
    app.messages.length = 0;
    const daemon = startDaemon();
    await ready(daemon);
    // A Command journaled and published before the restart must not come again after it.
    sim.modem.injectSms({ from: '2936', text: 'before restart' });
    await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);

    const result = await runCli(['restart', ...onBroker]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('the daemon is restarting (it exits 75; its supervisor starts it again)\n');
    expect(await daemon.exited(15_000)).toBe(EXIT.restart);
    expect(daemon.lines.find((l) => l.msg === 'stopping')).toMatchObject({ restart: 'bridge/request/restart' });
    expect(daemon.lines.some((l) => l.msg === 'stopped')).toBe(true);

    // The answer went out before the offline state the orderly stop publishes.
    const answerAt = app.messages.findIndex((m) => m.topic === `${base}/bridge/response/restart`);
    const offlineAt = app.messages.findIndex((m) => m.topic === `${base}/bridge/state` && m.text.includes('"offline"'));
    expect(answerAt).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(app.messages[answerAt]!.text)).toMatchObject({
      status: 'ok',
      data: { restarting: true, exit_code: 75 },
    });
    expect(offlineAt).toBeGreaterThan(answerAt);
    // A closed SQLite journal in WAL mode checkpoints and removes its -wal file.
    expect(existsSync(join(dir, 'journal.db-wal'))).toBe(false);

    const again = startDaemon();
    await again.waitForLog('running', (line) => line.msg === 'm2m-bridge running', 20_000);
    await waitFor('online again', () => app.on(`${base}/bridge/state`).at(-1)?.text.includes('"online"'));
    const status = await runCli(['status', ...onBroker, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).daemon.pid).toBe(again.child.pid);
    expect(app.on(`${base}/command/received`)).toHaveLength(1);
    expect(await again.signal('SIGTERM')).toBe(EXIT.ok);
  }, 60_000);

  it('says the daemon is not running when nobody answers the restart', async () => {
    const result = await runCli(['restart', ...onBroker, '--timeout', '1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer from the daemon on gw-lifecycle\/bridge\/request\/restart within 1 s/);
    expect(result.stderr).toMatch(/the daemon is not running \(bridge\/state is offline\)/);
  });
});
