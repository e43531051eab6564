import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DaemonProcess } from '../helpers/daemon.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { startTestModemSim, type TestModemSim } from '../helpers/sim.js';

let broker: MosquittoBroker;
let sim: TestModemSim;
let dir: string;
let daemon: DaemonProcess | undefined;
let squatter: Server | undefined;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  sim = await startTestModemSim({ profile: 'generic' });
  dir = mkdtempSync(join(tmpdir(), 'm2m-metrics-config-'));
}, 30_000);

afterAll(async () => {
  await daemon?.kill();
  squatter?.close();
  await sim?.close();
  await broker?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('metrics configuration', () => {
  it('checks metrics.* and home_assistant.* keys, from the file, the environment and flags', async () => {
    const base = ['config', 'check', '--set', 'serial.path=/dev/null'];
    const badPort = await runCli([...base, '--set', 'metrics.port=70000']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/metrics\.port: expected at most 65535, got 70000/);
    const badSize = await runCli([...base, '--set', 'store.max_size_mb=0']);
    expect(badSize.stderr).toMatch(/store\.max_size_mb: expected at least 1, got 0/);

    const fromEnv = await runCli([...base, '--print', '--json'], {
      env: { M2M_BRIDGE_METRICS_ENABLED: 'yes', M2M_BRIDGE_HOME_ASSISTANT_DISCOVERY_PREFIX: 'ha' },
    });
    expect(fromEnv.code).toBe(0);
    const { config } = JSON.parse(fromEnv.stdout);
    expect(config.metrics).toEqual({ enabled: true, port: 9464 });
    expect(config.home_assistant).toEqual({ enabled: false, discovery_prefix: 'ha' });
    expect(config.store.max_size_mb).toBe(50);

    const schema = JSON.parse((await runCli(['config', 'schema'])).stdout);
    expect(schema.properties.metrics.properties.port).toMatchObject({ default: 9464 });
    expect(schema.properties.home_assistant.properties.node_id.description).toMatch(/Node id/);
  });

  it('keeps the bridge running when the metrics port is taken, and says so in the log and in status', async () => {
    const port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter!.listen(port, '127.0.0.1', resolve));
    daemon = DaemonProcess.start(
      dir,
      [
        'serial:',
        `  path: ${sim.path}`,
        'mqtt:',
        `  url: ${broker.url}`,
        '  base_topic: gw-port',
        'store:',
        `  path: ${join(dir, 'journal.db')}`,
        'metrics:',
        '  enabled: true',
        `  port: ${port}`,
      ].join('\n'),
    );
    const line = await daemon.waitForLog('metrics disabled', (l) => String(l.msg).startsWith('metrics disabled'));
    expect(line.msg).toBe(`metrics disabled: metrics.port: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    const status = await runCli(['status', '--mqtt-url', broker.url, '--base-topic', 'gw-port', '--json']);
    expect(status.code).toBe(0);
    const data = JSON.parse(status.stdout);
    expect(data.daemon.mqtt).toBe('connected');
    expect(data.last_errors).toContainEqual(expect.objectContaining({ source: 'metrics' }));
  }, 30_000);
});
