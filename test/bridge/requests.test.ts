import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { deferred } from '../helpers/wait.js';
import { type Harness, startBridge } from './harness.js';

const broker = brokerForThisFile();
let h: Harness;

afterEach(async () => h?.close());

async function request(harness: Harness, action: string, payload: string) {
  const client = await mqtt.connectAsync(broker.url);
  await client.publishAsync(harness.topics.request(action), payload, { qos: 1 });
  await client.endAsync();
  const message = await harness.app.waitFor(
    `response to ${action}`,
    (m) => m.topic === harness.topics.response(action),
  );
  return JSON.parse(message.text);
}

describe('bridge requests and state', () => {
  it('publishes bridge/state online and bridge/info retained on connect', async () => {
    h = await startBridge(broker);
    const late = await TestSubscriber.connect(broker.url, [
      h.topics.bridgeState,
      h.topics.bridgeInfo,
      h.topics.modemState,
    ]);
    try {
      const state = await late.waitFor('retained state', (m) => m.topic === h.topics.bridgeState);
      expect(state).toMatchObject({ retain: true, text: '{"state":"online"}' });
      const info = await late.waitFor('retained info', (m) => m.topic === h.topics.bridgeInfo);
      expect(JSON.parse(info.text)).toMatchObject({ version: 'test', product: 'programmable-wireless' });
      const modem = await late.waitFor('retained modem state', (m) => m.topic === h.topics.modemState);
      expect(JSON.parse(modem.text)).toMatchObject({ status: 'ready', signal: { rssi_dbm: null } });
    } finally {
      await late.close();
    }
  });

  it('answers health_check with the transaction echoed', async () => {
    h = await startBridge(broker);
    const response = await request(h, 'health_check', '{"transaction":"abc"}');
    expect(response).toMatchObject({
      status: 'ok',
      transaction: 'abc',
      error: null,
      data: { healthy: true, mqtt: 'connected' },
    });
    expect(response.data.journal).toHaveProperty('outbox_queued', 0);
  });

  it('runs modem/restart and sweep through the modem port', async () => {
    h = await startBridge(broker);
    const restart = await request(h, 'modem/restart', '{"transaction":1}');
    expect(restart).toMatchObject({ status: 'ok', transaction: '1' });
    expect(h.modem.restarts).toBe(1);
    const sweep = await request(h, 'sweep', '');
    expect(sweep).toMatchObject({ status: 'ok', data: { storage: { used: null } }, transaction: null });
    expect(h.modem.sweeps).toBe(1);
  });

  it('answers an unknown action and a malformed payload with an error response', async () => {
    h = await startBridge(broker);
    const unknown = await request(h, 'self_destruct', '{"transaction":"t"}');
    expect(unknown).toMatchObject({ status: 'error', transaction: 't', data: null });
    expect(unknown.error).toMatch(/unknown action 'self_destruct'.*health_check/);
    const malformed = await request(h, 'health_check', '{not json');
    expect(malformed).toMatchObject({ status: 'error', transaction: null });
    expect(malformed.error).toMatch(/invalid request payload/);
  });

  it('reports a failing action as an error response and keeps serving', async () => {
    h = await startBridge(broker);
    h.modem.restart = async () => {
      throw new Error('modem did not answer AT within 5000 ms');
    };
    const failed = await request(h, 'modem/restart', '{"transaction":"r"}');
    expect(failed).toMatchObject({
      status: 'error',
      transaction: 'r',
      error: 'modem did not answer AT within 5000 ms',
    });
    expect(await request(h, 'health_check', '{}')).toMatchObject({ status: 'ok' });
  });

  it('honours the MQTT 5 response topic and correlation data', async () => {
    h = await startBridge(broker, {}, 5);
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    try {
      const got = deferred<{ topic: string; correlation?: string; payload: string }>();
      client.on('message', (topic, payload, packet) =>
        got.resolve({
          topic,
          payload: payload.toString(),
          correlation: packet.properties?.correlationData?.toString(),
        }),
      );
      await client.subscribeAsync('app/replies/42', { qos: 1 });
      await client.publishAsync(h.topics.request('health_check'), '{}', {
        qos: 1,
        properties: { responseTopic: 'app/replies/42', correlationData: Buffer.from('req-42') },
      });
      const reply = await got.promise;
      expect(reply.topic).toBe('app/replies/42');
      expect(reply.correlation).toBe('req-42');
      expect(JSON.parse(reply.payload)).toMatchObject({ status: 'ok' });
    } finally {
      await client.endAsync(true);
    }
  });

  it('publishes modem state changes retained, coalescing bursts', async () => {
    h = await startBridge(broker, { modemStateIntervalMs: 200 });
    await h.app.waitFor('first modem state', (m) => m.topic === h.topics.modemState);
    for (const status of ['disconnected', 'initializing', 'ready', 'degraded'] as const) {
      h.modem.current = { ...h.modem.current, status, reason: `now ${status}` };
      h.bridge.modemChanged();
    }
    const last = await h.app.waitFor(
      'latest state',
      (m) => m.topic === h.topics.modemState && m.text.includes('now degraded'),
    );
    expect(JSON.parse(last.text)).toMatchObject({ status: 'degraded', reason: 'now degraded' });
    // One burst of four changes becomes one publish after the initial one.
    expect(h.app.on(h.topics.modemState).length).toBeLessThanOrEqual(3);
  });

  it('publishes modem/state only when it changed (not after every status poll), updated_at saying when', async () => {
    h = await startBridge(broker, { modemStateIntervalMs: 50 });
    const first = await h.app.waitFor('first modem state', (m) => m.topic === h.topics.modemState);
    // The driver reports after every status poll whether or not anything changed: five polls, nothing new.
    for (let i = 0; i < 5; i++) {
      h.bridge.modemChanged();
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    expect(h.app.on(h.topics.modemState)).toEqual([first]);

    h.modem.current = { ...h.modem.current, signal: { rssi_dbm: -71, quality: 'good' } };
    h.bridge.modemChanged();
    const changed = await h.app.waitFor(
      'changed state',
      (m) => m.topic === h.topics.modemState && m.text.includes('-71'),
    );
    expect(JSON.parse(changed.text).updated_at).not.toBe(JSON.parse(first.text).updated_at);
    h.bridge.modemChanged();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.app.on(h.topics.modemState)).toHaveLength(2);

    // What a program connecting now gets is the latest state, retained.
    const late = await TestSubscriber.connect(broker.url, [h.topics.modemState]);
    try {
      const retained = await late.waitFor('retained', () => true);
      expect(retained).toMatchObject({ retain: true, text: changed.text });
    } finally {
      await late.close();
    }
  });
});
