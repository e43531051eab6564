import { createServer, type Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeBaseTopic } from '../../src/bridge/base-topic-probe.js';
import { connectMqtt } from '../../src/bridge/mqtt-client-factory.js';
import { topicsFor } from '../../src/bridge/topics.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { freePort, MosquittoBroker } from '../helpers/mosquitto.js';
import { waitFor } from '../helpers/wait.js';

let broker: MosquittoBroker;
let client: mqtt.MqttClient;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  client = await mqtt.connectAsync(broker.url);
});
afterAll(async () => {
  await client?.endAsync();
  await broker?.close();
});

async function retained(base: string, state: string, info: object | null): Promise<void> {
  await client.publishAsync(`${base}/bridge/state`, JSON.stringify({ state }), { qos: 1, retain: true });
  if (info) await client.publishAsync(`${base}/bridge/info`, JSON.stringify(info), { qos: 1, retain: true });
}

const probe = (base: string, clientId: string, url = broker.url) =>
  probeBaseTopic({ url, topics: topicsFor(base), clientId, client: {}, timeoutMs: 2_000 });

describe('probeBaseTopic: is another daemon live under this base topic?', () => {
  it('names a live holder with another client id', async () => {
    await retained('p/a', 'online', { client_id: 'other', instance: 'lte1', pid: 77, hostname: 'gw' });
    expect(await probe('p/a', 'me')).toEqual({
      checked: true,
      holder: { client_id: 'other', instance: 'lte1', pid: 77, hostname: 'gw' },
    });
  });

  it('no conflict: its own earlier session, an offline holder, a topic nobody used', async () => {
    await retained('p/b', 'online', { client_id: 'me' });
    expect(await probe('p/b', 'me')).toEqual({ checked: true, holder: null });
    await retained('p/c', 'offline', { client_id: 'other' });
    expect(await probe('p/c', 'me')).toEqual({ checked: true, holder: null });
    expect(await probe('p/never', 'me')).toEqual({ checked: true, holder: null });
  });

  it('says it could not check when the broker does not answer (the daemon then starts anyway)', async () => {
    const result = await probe('p/a', 'me', `mqtt://127.0.0.1:${await freePort()}`);
    expect(result.checked).toBe(false);
  });

  it('gives up on a broker that takes the connection but never answers once its clock says the time is up', async () => {
    // A TCP listener that reads and never sends CONNACK: only the probe's own deadline can end the wait.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const clock = new ManualClock(1_000);
    let built = 0;
    try {
      const result = probeBaseTopic({
        url: `mqtt://127.0.0.1:${port}`,
        topics: topicsFor('p/silent'),
        clientId: 'me',
        client: {},
        // Far beyond the test's deadline on the real clock: the answer can only come from the manual one.
        timeoutMs: 600_000,
        clock,
        clientFactory: (url, options) => {
          built++;
          return connectMqtt(url, options);
        },
      });
      await waitFor('the probe connected', () => sockets.length > 0 || undefined);
      clock.advance(600_000);
      expect(await result).toEqual({ checked: false, reason: 'no answer within 600000 ms' });
      expect(built).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
