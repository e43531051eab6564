import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import type { DaemonProcess } from '../helpers/daemon.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { freePort, type MosquittoBroker } from '../helpers/mosquitto.js';
import type { TestSubscriber } from '../helpers/mqtt-client.js';
import type { TestModemSim } from '../helpers/sim.js';
import { waitFor } from '../helpers/wait.js';

let rig: ProcessRig;
let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess;
let app: TestSubscriber;
const base = 'gw-status';

beforeAll(async () => {
  rig = await startProcessRig({
    base,
    dirPrefix: 'm2m-status-',
    config: { store: { max_size_mb: 20, retention_days: 7 } },
    waitReady: true,
  });
  ({ broker, sim, dir, daemon, app } = rig);
}, 40_000);

afterAll(async () => {
  await rig?.close();
});

const status = (...args: string[]) => runCli(['status', ...args]);

describe('m2m-bridge status', () => {
  it('shows daemon and modem state, queue depths and journal disk use from the running daemon', async () => {
    sim.modem.injectSms({ from: '2936', text: 'ping' });
    await app.waitFor('command', (m) => m.topic === `${base}/command/received`, 15_000);
    const result = await status('--mqtt-url', broker.url, '--base-topic', base, '--json');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout);
    expect(data.daemon).toMatchObject({ mqtt: 'connected', mqtt_reconnects: 0, modem_reconnects: 0 });
    expect(data.daemon.pid).toBe(daemon.child.pid);
    expect(data.daemon.features).toEqual({
      metrics: { enabled: false, port: 9464 },
      home_assistant: { enabled: false },
    });
    expect(data.modem).toMatchObject({ status: 'ready', registration: expect.any(String) });
    expect(data.modem.identity.imei).toMatch(/^\d{15}$/);
    expect(data.queues).toEqual({
      inbox_unpublished: 0,
      parts_pending: 0,
      outbox_queued: 0,
      outbox_sending: 0,
      outbox_sent: 0,
      status_unpublished: 0,
    });
    expect(data.storage).toMatchObject({ max_bytes: 20 * 1024 * 1024, retention_days: 7, over_size: false });
    expect(data.storage.total_bytes).toBe(data.storage.db_bytes + data.storage.wal_bytes);
    expect(data.storage.db_bytes).toBeGreaterThan(0);
    expect(Array.isArray(data.last_errors)).toBe(true);

    // The same figures are on the retained bridge/info.
    const info = JSON.parse(app.on(`${base}/bridge/info`).at(-1)!.text);
    expect(info.storage).toMatchObject({ db_bytes: expect.any(Number), wal_bytes: expect.any(Number) });
  });

  it('prints a readable summary from the daemon config', async () => {
    const result = await status('--config', join(dir, 'config.yaml'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^daemon\s+m2m-bridge \S+, pid \d+, up /m);
    expect(result.stdout).toMatch(/^modem\s+ready$/m);
    expect(result.stdout).toMatch(/^journal\s+.* on disk \(db .* \+ wal .*\), data .* of 20 MiB cap, 7 days kept$/m);
    expect(result.stdout).toMatch(/^queues\s+inbox unpublished 0,/m);
    expect(result.stdout).toMatch(/^features\s+metrics off, home assistant off$/m);
  });

  it('says no daemon ever used the base topic when nothing answers and no state is retained', async () => {
    const result = await status('--mqtt-url', broker.url, '--base-topic', 'nobody-here', '--timeout', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no answer from the daemon .* within 1 s \(broker .* is reachable\)/);
    expect(result.stderr).toMatch(/no daemon has ever connected with base topic "nobody-here"/);
  });

  it('says the broker is unreachable when nothing listens at the URL', async () => {
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const result = await status('--mqtt-url', url, '--timeout', '2');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`broker unreachable at ${url}: .*ECONNREFUSED`));
  });

  it('lists the last errors and counts the reconnect after the broker was away', async () => {
    await broker.stop();
    await broker.start();
    await waitFor(
      'the daemon back on the broker',
      async () => (await status('--mqtt-url', broker.url, '--base-topic', base, '--json', '--timeout', '1')).code === 0,
      30_000,
      200,
    );
    const data = JSON.parse((await status('--mqtt-url', broker.url, '--base-topic', base, '--json')).stdout);
    expect(data.daemon).toMatchObject({ mqtt: 'connected', mqtt_reconnects: 1 });
    expect(data.last_errors[0]).toMatchObject({ source: 'mqtt', message: 'disconnected: connection closed' });
    expect(Date.parse(data.last_errors[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const text = (await status('--mqtt-url', broker.url, '--base-topic', base)).stdout;
    expect(text).toMatch(/^errors\n {2}\S+Z {2}mqtt: disconnected: connection closed$/m);
  }, 45_000);

  it('says the daemon is not running once it stopped (bridge/state offline)', async () => {
    expect(await daemon.signal('SIGTERM')).toBe(0);
    const result = await status('--mqtt-url', broker.url, '--base-topic', base, '--timeout', '1');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the daemon is not running \(bridge\/state is offline\)/);
  });
});
