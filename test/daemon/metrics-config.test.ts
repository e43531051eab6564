import { createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { type ProcessRig, startProcessRig } from '../helpers/daemon-rig.js';
import { freePort } from '../helpers/mosquitto.js';

let rig: ProcessRig | undefined;
let squatter: Server | undefined;

afterAll(async () => {
  await rig?.close();
  squatter?.close();
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
    rig = await startProcessRig({
      base: 'gw-port',
      sim: { profile: 'generic' },
      config: { metrics: { enabled: true, port } },
      dirPrefix: 'm2m-metrics-config-',
    });
    const line = await rig.daemon.waitForLog('metrics disabled', (l) => String(l.msg).startsWith('metrics disabled'));
    expect(line.msg).toBe(`metrics disabled: metrics.port: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    const status = await runCli(['status', '--mqtt-url', rig.broker.url, '--base-topic', 'gw-port', '--json']);
    expect(status.code).toBe(0);
    const data = JSON.parse(status.stdout);
    expect(data.daemon.mqtt).toBe('connected');
    expect(data.last_errors).toContainEqual(expect.objectContaining({ source: 'metrics' }));
  }, 30_000);
});
