import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type IncomingMessage, MqttConnection } from '../../src/bridge/mqtt-connection.js';
import { systemClock } from '../../src/util/clock.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { deferred, waitFor } from '../helpers/wait.js';

const logger = pino({ level: 'silent' });
let broker: MosquittoBroker;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => {
  await broker.close();
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
  await broker.start();
});

function connection(clientId: string, subscriptions: string[] = [], version: 4 | 5 = 4): MqttConnection {
  const conn = new MqttConnection({
    url: broker.url,
    clientId,
    protocolVersion: version,
    reconnect: { minMs: 50, maxMs: 200 },
    will: { topic: `${clientId}/bridge/state`, payload: '{"state":"offline"}' },
    subscriptions,
    logger,
    clock: systemClock,
  });
  cleanups.push(() => conn.stop());
  return conn;
}

describe('MqttConnection: its client and its timers come in from outside', () => {
  it('builds the client with the injected factory and waits out the reconnect delay on the injected clock', async () => {
    const clock = new ManualClock(Date.now());
    const built: { url: string; clean: boolean | undefined; client: MqttClient }[] = [];
    const conn = new MqttConnection({
      url: broker.url,
      clientId: 'factory-clock',
      protocolVersion: 4,
      reconnect: { minMs: 5_000, maxMs: 5_000 },
      will: { topic: 'factory-clock/bridge/state', payload: '{"state":"offline"}' },
      subscriptions: [],
      logger,
      clock,
      clientFactory: (url, options) => {
        const client = mqtt.connect(url, options);
        built.push({ url, clean: options.clean, client });
        return client;
      },
    });
    cleanups.push(() => conn.stop(undefined, 500));
    const states: string[] = [];
    conn.on('connected', () => states.push('connected'));
    conn.on('disconnected', () => states.push('disconnected'));
    await started(conn);
    expect(built.map(({ url, clean }) => ({ url, clean }))).toEqual([{ url: broker.url, clean: false }]);

    built[0]!.client.stream.destroy();
    await waitFor('disconnected', () => states.includes('disconnected'));
    // No reconnect before the backoff delay has passed on the injected clock, however long real time runs meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(conn.connected).toBe(false);
    clock.advance(5_000);
    await waitFor('reconnected', () => states.filter((s) => s === 'connected').length === 2);
    expect(built).toHaveLength(1);
  });
});

async function started(conn: MqttConnection): Promise<MqttConnection> {
  const up = new Promise<void>((resolve) => conn.once('connected', resolve));
  conn.start();
  await up;
  return conn;
}

describe.each([4, 5] as const)('MqttConnection over MQTT %s against a real Mosquitto', (version) => {
  it('acknowledges an incoming QoS 1 message only after the handler committed it; a failed commit is redelivered', async () => {
    const id = `ack-${version}`;
    const conn = connection(id, [`${id}/in`], version);
    const seen: string[] = [];
    let failFirst = true;
    conn.onMessage(async (message: IncomingMessage) => {
      seen.push(message.payload.toString());
      if (failFirst) {
        failFirst = false;
        throw new Error('disk full');
      }
    });
    await started(conn);

    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: version });
    cleanups.push(() => publisher.endAsync(true));
    await publisher.publishAsync(`${id}/in`, 'reply-1', { qos: 1 });
    // The broker holds the message until our PUBACK: the failed commit sent none, so it comes again.
    await waitFor('the redelivery', () => seen.length >= 2);
    expect(seen).toEqual(['reply-1', 'reply-1']);
  });

  it('publishes the retained last will when the connection dies without a clean stop, then reconnects', async () => {
    const id = `will-${version}`;
    const conn = await started(connection(id, [], version));
    const watcher = await TestSubscriber.connect(broker.url, [`${id}/bridge/state`]);
    cleanups.push(() => watcher.close());

    const back = new Promise<void>((resolve) => conn.once('connected', resolve));
    // Cut the TCP connection under the client, as a crash or a pulled cable would.
    (conn as unknown as { client: mqtt.MqttClient }).client.stream.destroy();
    const will = await watcher.waitFor('the last will', (m) => m.text === '{"state":"offline"}');
    expect(will.topic).toBe(`${id}/bridge/state`);
    await back;
    expect(conn.connected).toBe(true);
  });

  it('keeps a publish made while the broker is away and delivers it when the broker returns', async () => {
    const id = `away-${version}`;
    const subscriber = await TestSubscriber.connect(broker.url, [`${id}/out`], { clientId: `${id}-sub`, clean: false });
    cleanups.push(() => subscriber.close());
    const conn = await started(connection(id, [], version));

    await broker.stop();
    await waitFor('the client to notice', () => !conn.connected);
    const acked = deferred();
    conn.publish(`${id}/out`, 'while-away').then(acked.resolve, acked.reject);
    await broker.start();

    await acked.promise;
    const message = await subscriber.waitFor('the message published while away', (m) => m.topic === `${id}/out`);
    expect(message.text).toBe('while-away');
  });
});

describe('MqttConnection MQTT 5 properties', () => {
  it('hands the response topic and correlation data of a request to the handler', async () => {
    const conn = connection('props', ['props/request/#'], 5);
    const got = deferred<IncomingMessage>();
    conn.onMessage(async (message) => got.resolve(message));
    await started(conn);
    const publisher = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    cleanups.push(() => publisher.endAsync(true));
    await publisher.publishAsync('props/request/health_check', '{}', {
      qos: 1,
      properties: { responseTopic: 'app/replies', correlationData: Buffer.from('abc') },
    });
    const message = await got.promise;
    expect(message.responseTopic).toBe('app/replies');
    expect(message.correlationData?.toString()).toBe('abc');
  });

  it('stop() sends a final retained state and the will does not fire', async () => {
    const conn = await started(connection('clean-stop'));
    const watcher = await TestSubscriber.connect(broker.url, ['clean-stop/bridge/state']);
    cleanups.push(() => watcher.close());
    await conn.stop({ topic: 'clean-stop/bridge/state', payload: '{"state":"stopped-cleanly"}', retain: true });
    await watcher.waitFor('final state', (m) => m.text === '{"state":"stopped-cleanly"}');
    // A fresh subscriber sees the retained final state, not the will.
    const late = await TestSubscriber.connect(broker.url, ['clean-stop/bridge/state']);
    cleanups.push(() => late.close());
    const retained = await late.waitFor('retained state', (m) => m.retain);
    expect(retained.text).toBe('{"state":"stopped-cleanly"}');
  });
});
