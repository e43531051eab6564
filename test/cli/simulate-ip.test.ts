import { spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/cli.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { waitFor } from '../helpers/wait.js';

interface Addresses {
  account_sid: string;
  auth_token: string;
  mqtt_url: string;
  base_topic: string;
  super_sim_api_url: string;
  ip_device_port: number;
}

describe('m2m-bridge simulate: IP Commands with the default options', () => {
  it('an IP Command from the API reaches MQTT with transport ip, and an IP reply reaches the API as from_sim', async () => {
    const child = spawn(process.execPath, [cliPath, 'simulate', '--api-port', '0', '--mqtt-port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let app: TestSubscriber | undefined;
    try {
      const line = await waitFor('the addresses line', () => stdout.split('\n').find((l) => l.startsWith('{')), 20_000);
      const sim = JSON.parse(line) as Addresses;
      const auth = `Basic ${Buffer.from(`${sim.account_sid}:${sim.auth_token}`).toString('base64')}`;
      app = await TestSubscriber.connect(sim.mqtt_url, [`${sim.base_topic}/#`]);
      await app.waitFor('modem ready', (m) => m.topic === 'm2m/modem/state' && m.text.includes('"ready"'), 20_000);

      const created = await fetch(`${sim.super_sim_api_url}/IpCommands`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ Sim: 'gateway-1', Payload: 'open valve', DevicePort: String(sim.ip_device_port) }),
      });
      expect(created.status).toBe(201);
      const received = await app.waitFor(
        'the IP Command on command/received',
        (m) => m.topic === 'm2m/command/received' && m.text.includes('open valve'),
        15_000,
      );
      expect(JSON.parse(received.text)).toMatchObject({ body: 'open valve', mode: 'text', transport: 'ip' });

      const client = await mqtt.connectAsync(sim.mqtt_url);
      await client.publishAsync(
        'm2m/command/send',
        JSON.stringify({ transport: 'ip', body: 'valve open', transaction: '2' }),
        { qos: 1 },
      );
      await client.endAsync();
      const fromSim = await waitFor(
        'the from_sim IP Command',
        async () => {
          const list = await fetch(`${sim.super_sim_api_url}/IpCommands?Direction=from_sim`, {
            headers: { authorization: auth },
          });
          const body = (await list.json()) as { ip_commands: Array<{ payload: string; status: string }> };
          return body.ip_commands.find((c) => Buffer.from(c.payload, 'base64').toString() === 'valve open');
        },
        15_000,
      );
      expect(fromSim.status).toBe('received');
    } finally {
      await app?.close();
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
