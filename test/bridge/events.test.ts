import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { SendFailure } from '../../src/bridge/send-failure.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';
import { type Harness, incoming, startBridge } from './harness.js';

const broker = brokerForThisFile();
let h: Harness;

afterEach(async () => h?.close());

describe('bridge events (observers for metrics, status and Home Assistant)', () => {
  it('tells what was recorded, published, sent and failed — and a throwing listener changes nothing', async () => {
    h = await startBridge(broker);
    const seen: string[] = [];
    for (const name of ['inbound_recorded', 'command_published', 'reply_queued', 'reply_sent', 'reply_failed'] as const)
      h.bridge.events.on(name, () => seen.push(name));
    h.bridge.events.on('command_published', () => {
      throw new Error('listener bug');
    });

    for (const sms of incoming({ from: '2936', text: 'ping', timestamp: '2026-11-27T16:20:05+01:00' }))
      await h.bridge.intake.accept(sms);
    await h.app.waitFor('command', (m) => m.topic === h.topics.commandReceived);
    await waitFor('command_published', () => seen.includes('command_published'));
    // The throwing listener did not make the bridge think the publish failed: it is published once, and marked so.
    expect(h.journal.counts().inbox_unpublished).toBe(0);

    const client = await mqtt.connectAsync(broker.url);
    await client.publishAsync(h.topics.commandSend, 'pong', { qos: 1 });
    h.transmitter.failures.push(new SendFailure('+CMS ERROR: 304', { transient: false, code: 304 }));
    await client.publishAsync(h.topics.commandSend, 'bad', { qos: 1 });
    await client.endAsync();
    await waitFor('sent and failed', () => seen.includes('reply_sent') && seen.includes('reply_failed'));
    expect(seen.filter((name) => name === 'inbound_recorded')).toHaveLength(1);
    expect(seen.filter((name) => name === 'command_published')).toHaveLength(1);
    expect(seen.filter((name) => name === 'reply_queued')).toHaveLength(2);
    expect(h.app.on(h.topics.commandReceived)).toHaveLength(1);
  });
});
