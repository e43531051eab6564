import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../helpers/cli.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

interface Addresses {
  api_url: string;
  account_sid: string;
  auth_token: string;
  mqtt_url: string;
  base_topic: string;
  modem_path: string;
  journal_path: string;
}

describe('m2m-bridge simulate: the zero-hardware demo', () => {
  it('routes a Command from the API to MQTT and a reply from MQTT back to the API as a from_sim Command', async () => {
    const child = spawn(process.execPath, [cliPath, 'simulate', '--api-port', '0', '--mqtt-port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let app: TestSubscriber | undefined;
    try {
      const line = await waitFor('the addresses line', () => stdout.split('\n').find((l) => l.startsWith('{')), 20_000);
      const sim = JSON.parse(line) as Addresses;
      const auth = `Basic ${Buffer.from(`${sim.account_sid}:${sim.auth_token}`).toString('base64')}`;
      app = await TestSubscriber.connect(sim.mqtt_url, [`${sim.base_topic}/#`]);
      await app.waitFor('modem ready', (m) => m.topic === 'm2m/modem/state' && m.text.includes('"ready"'), 20_000);

      const created = await fetch(`${sim.api_url}/Commands`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Sim: 'gateway-1', Command: 'reboot now' }),
      });
      expect(created.status).toBe(201);
      const received = await app.waitFor('command/received', (m) => m.topic === 'm2m/command/received', 15_000);
      expect(JSON.parse(received.text)).toMatchObject({ body: 'reboot now', from: '2936', mode: 'text' });

      const client = await mqtt.connectAsync(sim.mqtt_url);
      await client.publishAsync('m2m/command/send', JSON.stringify({ body: 'rebooting', transaction: '1' }), {
        qos: 1,
      });
      await client.endAsync();
      const fromSim = await waitFor(
        'the from_sim Command',
        async () => {
          const list = await fetch(`${sim.api_url}/Commands?Direction=from_sim`, { headers: { authorization: auth } });
          const body = (await list.json()) as { commands: Array<{ command: string; status: string }> };
          return body.commands.find((c) => c.command === 'rebooting');
        },
        15_000,
        100,
      );
      expect(fromSim.status).toBe('received');

      // The journal path it prints is the daemon's: history reads the Command and the reply from it.
      const history = await runCli(['history', '--store-path', sim.journal_path, '--json']);
      expect(history.code).toBe(0);
      const records = history.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { body: string });
      expect(records.map((r) => r.body).sort()).toEqual(['reboot now', 'rebooting']);
    } finally {
      await app?.close();
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/Error|uncaught/i);
  });

  it('says which flag to use when the MQTT port is taken, and exits instead of lingering', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const address = blocker.address();
    const taken = typeof address === 'object' && address ? address.port : 0;
    try {
      const result = await runCli(['simulate', '--api-port', '0', '--mqtt-port', String(taken)], { timeoutMs: 20_000 });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`MQTT port ${taken} is already in use`);
      expect(result.stderr).toContain('--mqtt-url');
    } finally {
      blocker.close();
    }
  });
});
