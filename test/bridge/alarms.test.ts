import { afterEach, describe, expect, it } from 'vitest';
import { type Journal, JournalError, type SqliteJournal } from '../../src/store/index.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { type Harness, incoming, startBridge } from './harness.js';

const broker = brokerForThisFile();
let h: Harness;

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

  it('an inbound success does not clear the alarm of the reply sender, which still owes its write', async () => {
    // Only the sender's write fails (the disk is not full for the inbox in this scenario): it stays owed until allowed.
    let failing = true;
    const failAdvance = (journal: SqliteJournal): Journal =>
      new Proxy(journal, {
        get(target, property, receiver) {
          const value = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            if (property === 'advanceReply' && failing)
              throw new JournalError('disk_full', 'journal: disk full (test)', { sqliteCode: 'SQLITE_FULL' });
            return value.apply(target, args);
          };
        },
      });
    h = await startBridge(broker, {}, 4, { wrap: failAdvance });
    const watcher = await TestSubscriber.connect(broker.url, [h.topics.bridgeState]);
    try {
      await h.app.client.publishAsync(h.topics.commandSend, JSON.stringify({ body: 'owed', transaction: 'o1' }), {
        qos: 1,
      });
      await watcher.waitFor("the sender's alarm", (m) => m.text.includes('replies wait until it can'));
      expect(h.transmitter.sent).toHaveLength(1);

      // An inbound command commits fine: the inbound side has no trouble, but the sender still owes its write.
      const [sms] = incoming({ from: '2936', text: 'inbound ok', timestamp: '2026-11-27T16:20:05+00:00' });
      await h.bridge.consumer.accept(sms!);
      await h.app.waitFor('inbound published', () => h.app.on(h.topics.commandReceived).length === 1);
      expect(h.bridge.alarmList()).toEqual([
        { code: 'journal_write_failed', message: expect.stringContaining('replies wait until it can') },
      ]);
      // Not even for a moment: bridge/state never said "online" without the alarm since it was raised.
      const raised = watcher.messages.findIndex((m) => m.text.includes('journal_write_failed'));
      expect(watcher.messages.slice(raised).filter((m) => m.text === '{"state":"online"}')).toEqual([]);

      // The write sticks: the sender clears its own alarm, and the part was never handed over again.
      failing = false;
      await watcher.waitFor('alarm cleared', (m) => m.text === '{"state":"online"}', 15_000);
      expect(h.transmitter.attempts).toHaveLength(1);
      expect(h.journal.listUnpublishedStatus().length + h.app.on(h.topics.commandStatus).length).toBeGreaterThan(0);
    } finally {
      await watcher.close();
    }
  });
});
