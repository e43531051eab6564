import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { type Harness, incoming, startBridge } from './harness.js';

let broker: MosquittoBroker;
let h: Harness;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
});
afterAll(async () => broker.close());
afterEach(async () => h?.close());

describe('bridge alarms: the journal cannot be written', () => {
  it('refuses the SMS back to the driver (so it stays on the SIM), raises an alarm on bridge/state, and clears it', async () => {
    // A journal capped a little above its empty size: the cap makes SQLite fail like a full disk.
    h = await startBridge(broker, {}, 4, { maxSizeBytes: 96 * 1024 });
    let refused: unknown = null;
    let accepted = 0;
    for (let i = 0; i < 2_000 && refused === null; i++) {
      const [sms] = incoming({
        from: '2936',
        text: `fill ${i} ${'x'.repeat(120)}`,
        timestamp: '2026-11-27T16:20:05+00:00',
      });
      try {
        await h.bridge.consumer.accept(sms!);
        accepted += 1;
      } catch (error) {
        refused = error;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect((refused as { code?: string }).code).toBe('disk_full');

    const watcher = await TestSubscriber.connect(broker.url, [h.topics.bridgeState]);
    try {
      const state = await watcher.waitFor('alarm on bridge/state', (m) => m.text.includes('alarms'));
      expect(JSON.parse(state.text)).toMatchObject({
        state: 'online',
        alarms: [{ code: 'journal_write_failed', message: expect.stringContaining('SMS stay on the SIM') }],
      });
      expect(h.bridge.alarmList()).toHaveLength(1);

      // Everything accepted before the disk filled is still published.
      await h.app.waitFor(
        'all accepted commands',
        () => h.app.on(h.topics.commandReceived).length === accepted,
        15_000,
      );

      // A message the journal already has commits nothing and succeeds: the alarm clears with the next success.
      const [first] = incoming({
        from: '2936',
        text: `fill 0 ${'x'.repeat(120)}`,
        timestamp: '2026-11-27T16:20:05+00:00',
      });
      await h.bridge.consumer.accept(first!);
      await watcher.waitFor('alarm cleared', (m) => m.text === '{"state":"online"}');
    } finally {
      await watcher.close();
    }
  });
});
