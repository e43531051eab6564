import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SendFailure } from '../../src/bridge/send-failure.js';
import { productProfile } from '../../src/commands/index.js';
import { decodePdu, encodeStatusReport } from '../../src/sms/index.js';
import { type Journal, JournalError, type SqliteJournal } from '../../src/store/index.js';
import { MosquittoBroker } from '../helpers/mosquitto.js';
import { TestSubscriber } from '../helpers/mqtt-client.js';
import { type Harness, incoming, startBridge } from './harness.js';

let broker: MosquittoBroker;
let h: Harness;
let publisher: mqtt.MqttClient;

beforeAll(async () => {
  broker = await MosquittoBroker.start();
  publisher = await mqtt.connectAsync(broker.url);
});
afterAll(async () => {
  await publisher.endAsync(true);
  await broker.close();
});
afterEach(async () => h?.close());

function statuses(harness: Harness, transaction?: string) {
  return harness.app
    .on(harness.topics.commandStatus)
    .map((m) => JSON.parse(m.text))
    .filter((s) => transaction === undefined || s.transaction === transaction);
}

function send(harness: Harness, payload: string | object) {
  return publisher.publishAsync(
    harness.topics.commandSend,
    typeof payload === 'string' ? payload : JSON.stringify(payload),
    { qos: 1 },
  );
}

function failure(message: string, details: { transient: boolean; code?: number; maybe_sent?: boolean }) {
  return new SendFailure(message, details);
}

/** The network's status report for a part the transmitter answered with `reference`, as the modem hands it over. */
function statusReport(reference: number, status = 0) {
  const report = encodeStatusReport({
    recipient: '2936',
    messageReference: reference,
    timestamp: '2026-11-27T16:20:05+00:00',
    dischargeTime: '2026-11-27T16:20:09+00:00',
    status,
  });
  return { pdu: report.pdu, decoded: decodePdu(report.pdu), decode_error: null };
}

/**
 * The journal as the bridge sees it, with the next `count` calls of the named methods failing like a full disk. The
 * calls that fail commit nothing (as SQLite's would).
 */
function failingWrites(failures: Record<string, number>) {
  return (journal: SqliteJournal): Journal =>
    new Proxy(journal, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const name = String(property);
          if ((failures[name] ?? 0) > 0) {
            failures[name]! -= 1;
            throw new JournalError('disk_full', `journal: disk full (test, in ${name})`, { sqliteCode: 'SQLITE_FULL' });
          }
          return value.apply(target, args);
        };
      },
    });
}

/** Like failingWrites, but the write is applied before the error: a commit whose success the caller never learns. */
function writesThenFails(failures: Record<string, number>) {
  return (journal: SqliteJournal): Journal =>
    new Proxy(journal, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const name = String(property);
          const result = value.apply(target, args);
          if ((failures[name] ?? 0) > 0) {
            failures[name]! -= 1;
            throw new JournalError('io', `journal: I/O error after the commit (test, in ${name})`);
          }
          return result;
        };
      },
    });
}

describe('bridge outbound: command/send → journal → modem, with command/status', () => {
  it('sends a JSON reply to the short code in PDU mode and reports queued then sent with the message reference', async () => {
    h = await startBridge(broker);
    await send(h, { body: 'valve open', mode: 'text', transaction: 't1' });
    await h.app.waitFor('sent status', () => statuses(h, 't1').some((s) => s.status === 'sent'));
    const [queued, sent] = statuses(h, 't1');
    expect(queued).toMatchObject({ status: 'queued', transaction: 't1', error: null });
    expect(sent).toMatchObject({ status: 'sent', transaction: 't1', id: queued.id, message_reference: 1 });
    const [submit] = h.transmitter.decoded();
    expect(submit).toMatchObject({
      type: 'SMS-SUBMIT',
      destination: '2936',
      text: 'valve open',
      status_report_requested: true,
    });
  });

  it('takes a bare UTF-8 string as a text reply, emoji included', async () => {
    h = await startBridge(broker);
    await send(h, 'ok 👍');
    await h.app.waitFor('sent', () => statuses(h).some((s) => s.status === 'sent'));
    expect(h.transmitter.decoded()[0]).toMatchObject({ text: 'ok 👍', encoding: 'ucs2' });
  });

  it('sends a binary reply as 8-bit data', async () => {
    h = await startBridge(broker);
    await send(h, { body: Buffer.from([1, 2, 3, 255]).toString('base64'), mode: 'binary', transaction: 'b' });
    await h.app.waitFor('sent', () => statuses(h, 'b').some((s) => s.status === 'sent'));
    expect(h.transmitter.decoded()[0]).toMatchObject({ encoding: '8bit' });
    expect(h.transmitter.decoded()[0]?.data_hex?.toLowerCase()).toBe('010203ff');
  });

  it('retries a transient modem error and then sends', async () => {
    h = await startBridge(broker);
    h.transmitter.failures.push(failure('+CMS ERROR: 500', { transient: true, code: 500 }));
    await send(h, { body: 'retry me', transaction: 'r' });
    await h.app.waitFor('sent after retry', () => statuses(h, 'r').some((s) => s.status === 'sent'));
    expect(h.transmitter.sent).toHaveLength(1);
    expect(statuses(h, 'r').map((s) => s.status)).toEqual(['queued', 'sent']);
  });

  it('fails a reply at once on a permanent error, with the modem code', async () => {
    h = await startBridge(broker);
    h.transmitter.failures.push(failure('+CMS ERROR: 304', { transient: false, code: 304 }));
    await send(h, { body: 'bad', transaction: 'p' });
    const failed = await h.app.waitFor(
      'failed',
      (m) => m.topic === h.topics.commandStatus && m.text.includes('"failed"'),
    );
    expect(JSON.parse(failed.text)).toMatchObject({ transaction: 'p', status: 'failed', error: { code: 'cms_304' } });
    expect(h.transmitter.sent).toHaveLength(0);
  });

  it('gives up after the configured attempts of transient errors and says so', async () => {
    h = await startBridge(broker);
    for (let i = 0; i < 3; i++) h.transmitter.failures.push(failure('+CMS ERROR: 512', { transient: true, code: 512 }));
    await send(h, { body: 'never', transaction: 'g' });
    await h.app.waitFor('failed', () => statuses(h, 'g').some((s) => s.status === 'failed'));
    const failed = statuses(h, 'g').find((s) => s.status === 'failed');
    expect(failed.error.code).toBe('cms_512');
    expect(failed.error.message).toMatch(/gave up after 3 attempts/);
  });

  it('reports a send whose outcome is unknown as failed instead of risking a duplicate', async () => {
    h = await startBridge(broker);
    h.transmitter.failures.push(failure('timeout waiting for +CMGS', { transient: true, maybe_sent: true }));
    await send(h, { body: 'maybe', transaction: 'm' });
    await h.app.waitFor('failed', () => statuses(h, 'm').some((s) => s.status === 'failed'));
    expect(statuses(h, 'm').at(-1).error.code).toBe('outcome_unknown');
    expect(h.transmitter.sent).toHaveLength(0);
  });

  it('+CMGS answered OK without a reference: never handed over again, reported failed as outcome_unknown', async () => {
    h = await startBridge(broker);
    h.transmitter.references.push(null);
    await send(h, { body: 'no mr', transaction: 'nomr' });
    await h.app.waitFor('failed', () => statuses(h, 'nomr').some((s) => s.status === 'failed'));
    expect(statuses(h, 'nomr')).toEqual([
      expect.objectContaining({ status: 'queued', message_reference: null, error: null }),
      expect.objectContaining({
        status: 'failed',
        message_reference: null,
        error: { code: 'outcome_unknown', message: expect.stringContaining('without a message reference') },
      }),
    ]);
    // The journal knows the part was handed over, reference unknown.
    const reply = h.journal.getReply(statuses(h, 'nomr')[0].id);
    expect(reply).toMatchObject({ state: 'failed', attempts: 1, sent_parts: [true], message_references: [null] });
    // The next reply goes out after it: by then a retry of the first would have happened (retries start at 20 ms).
    await send(h, { body: 'after', transaction: 'after-nomr' });
    await h.app.waitFor('sent', () => statuses(h, 'after-nomr').some((s) => s.status === 'sent'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.transmitter.attempts.map((part) => decodePdu(part.pdu)).map((sms) => sms.text)).toEqual([
      'no mr',
      'after',
    ]);
    expect(statuses(h, 'nomr').map((s) => s.status)).toEqual(['queued', 'failed']);
  });

  it('turns a delivery status report into delivered', async () => {
    h = await startBridge(broker);
    await send(h, { body: 'track me', transaction: 'd' });
    await h.app.waitFor('sent', () => statuses(h, 'd').some((s) => s.status === 'sent'));
    const reference = statuses(h, 'd').find((s) => s.status === 'sent').message_reference;
    const { encodeStatusReport, decodePdu } = await import('../../src/sms/index.js');
    const report = encodeStatusReport({
      recipient: '2936',
      messageReference: reference,
      timestamp: '2026-11-27T16:20:05+00:00',
      dischargeTime: '2026-11-27T16:20:09+00:00',
      status: 0,
    });
    await h.bridge.intake.accept({ pdu: report.pdu, decoded: decodePdu(report.pdu), decode_error: null });
    await h.app.waitFor('delivered', () => statuses(h, 'd').some((s) => s.status === 'delivered'));
  });

  it.each([
    ['an empty body', { body: '', transaction: 'e1' }, 'empty_body'],
    ['text over one SMS', { body: 'x'.repeat(161), transaction: 'e2' }, 'too_long'],
    [
      'binary over 140 bytes',
      { body: Buffer.alloc(141).toString('base64'), mode: 'binary', transaction: 'e3' },
      'too_long',
    ],
    ['invalid base64', { body: 'not base64!', mode: 'binary', transaction: 'e4' }, 'invalid_base64'],
    ['a wrong mode', { body: 'x', mode: 'fax', transaction: 'e5' }, undefined],
  ])('refuses %s with a failed status naming the problem and echoing the transaction', async (_name, payload, code) => {
    h = await startBridge(broker);
    await send(h, payload);
    const status = await h.app.waitFor('failed', (m) => m.topic === h.topics.commandStatus);
    const parsed = JSON.parse(status.text);
    expect(parsed).toMatchObject({ status: 'failed', transaction: payload.transaction, id: null });
    if (code) expect(parsed.error.code).toBe(code);
    expect(parsed.error.message.length).toBeGreaterThan(5);
    expect(h.transmitter.sent).toHaveLength(0);
  });

  it('drops a payload over 64 KiB before parsing, and keeps working', async () => {
    h = await startBridge(broker);
    await send(h, JSON.stringify({ body: 'x', transaction: 'big', pad: 'y'.repeat(70_000) }));
    const status = await h.app.waitFor('failed', (m) => m.topic === h.topics.commandStatus);
    expect(JSON.parse(status.text)).toMatchObject({
      status: 'failed',
      transaction: null,
      error: { code: 'payload_too_large' },
    });
    await send(h, { body: 'after', transaction: 'ok' });
    await h.app.waitFor('sent', () => statuses(h, 'ok').some((s) => s.status === 'sent'));
  });

  it('queues a redelivered reply with the same transaction only once', async () => {
    h = await startBridge(broker);
    await send(h, { body: 'once', transaction: 'dup' });
    await send(h, { body: 'once', transaction: 'dup' });
    await send(h, { body: 'next', transaction: 'after' });
    await h.app.waitFor('sent', () => statuses(h, 'after').some((s) => s.status === 'sent'));
    expect(h.transmitter.decoded().map((s) => s.type === 'SMS-SUBMIT' && s.text)).toEqual(['once', 'next']);
  });

  it('answers a duplicate reply with the latest status of the one it duplicates, with its transaction', async () => {
    h = await startBridge(broker);
    await send(h, { body: 'once', transaction: 'dup' });
    await h.app.waitFor('sent', () => statuses(h, 'dup').some((s) => s.status === 'sent'));
    const [queued, sent] = statuses(h, 'dup');
    await send(h, { body: 'once', transaction: 'dup' });
    await h.app.waitFor('a status for the duplicate', () => statuses(h, 'dup').length === 3);
    // The same status again: same reply id, reference and time — where the reply stands, not a new outcome.
    expect(statuses(h, 'dup')[2]).toEqual(sent);
    expect(sent).toMatchObject({ status: 'sent', id: queued.id, transaction: 'dup' });
    expect(h.transmitter.attempts).toHaveLength(1);

    // A duplicate of a failed reply is told it failed, with the error.
    h.transmitter.failures.push(failure('+CMS ERROR: 304', { transient: false, code: 304 }));
    await send(h, { body: 'bad', transaction: 'dup-failed' });
    await h.app.waitFor('failed', () => statuses(h, 'dup-failed').some((s) => s.status === 'failed'));
    await send(h, { body: 'bad', transaction: 'dup-failed' });
    await h.app.waitFor('a status for the duplicate', () => statuses(h, 'dup-failed').length === 3);
    expect(statuses(h, 'dup-failed')[2]).toMatchObject({ status: 'failed', error: { code: 'cms_304' } });
    expect(h.transmitter.attempts).toHaveLength(2);
    // Same transaction, other body: a new reply, not a duplicate.
    await send(h, { body: 'other', transaction: 'dup' });
    await h.app.waitFor('sent', () => statuses(h, 'dup').filter((s) => s.status === 'sent').length === 3);
    expect(new Set(statuses(h, 'dup').map((s) => s.id)).size).toBe(2);
  });

  it('a journal write failing right after a part went out never resends it: alarm, then recorded and sent', async () => {
    const failures = { advanceReply: 2 };
    h = await startBridge(broker, {}, 4, { wrap: failingWrites(failures) });
    const watcher = await TestSubscriber.connect(broker.url, [h.topics.bridgeState]);
    try {
      await send(h, { body: 'write me', transaction: 'w1' });
      await watcher.waitFor('alarm', (m) => m.text.includes('journal_write_failed'));
      await h.app.waitFor('sent', () => statuses(h, 'w1').some((s) => s.status === 'sent'));
      await watcher.waitFor('alarm cleared', (m) => m.text === '{"state":"online"}');
      expect(failures).toEqual({ advanceReply: 0 });
      expect(statuses(h, 'w1').map((s) => [s.status, s.message_reference])).toEqual([
        ['queued', null],
        ['sent', 1],
      ]);
      // Replies queued meanwhile go out after it.
      await send(h, { body: 'next', transaction: 'w2' });
      await h.app.waitFor('sent', () => statuses(h, 'w2').some((s) => s.status === 'sent'));
      expect(h.transmitter.attempts.map((part) => decodePdu(part.pdu).text)).toEqual(['write me', 'next']);
    } finally {
      await watcher.close();
    }
  });

  it('a journal write that stuck but reported an error is owed, and applying it again adds no second outcome', async () => {
    const failures = { advanceReply: 1 };
    h = await startBridge(broker, {}, 4, { wrap: writesThenFails(failures) });
    await send(h, { body: 'stuck', transaction: 'w4' });
    await h.app.waitFor('sent', () => statuses(h, 'w4').some((s) => s.status === 'sent'));
    await send(h, { body: 'after', transaction: 'w5' });
    await h.app.waitFor('sent', () => statuses(h, 'w5').some((s) => s.status === 'sent'));
    expect(failures.advanceReply).toBe(0);
    expect(statuses(h, 'w4').map((s) => s.status)).toEqual(['queued', 'sent']);
    expect(h.transmitter.attempts.map((part) => decodePdu(part.pdu).text)).toEqual(['stuck', 'after']);
  });

  it('a journal write failing while recording a failed attempt neither crashes nor resends early', async () => {
    const failures = { advanceReply: 2 };
    h = await startBridge(broker, {}, 4, { wrap: failingWrites(failures) });
    h.transmitter.failures.push(failure('+CMS ERROR: 500', { transient: true, code: 500 }));
    await send(h, { body: 'retry me', transaction: 'w3' });
    await h.app.waitFor('sent', () => statuses(h, 'w3').some((s) => s.status === 'sent'), 15_000);
    expect(failures.advanceReply).toBe(0);
    // One failed attempt, then one that went out.
    expect(h.transmitter.attempts).toHaveLength(2);
    expect(h.transmitter.sent).toHaveLength(1);
    expect(h.journal.getReply(statuses(h, 'w3')[0].id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('sends a concatenated reply: a part that failed transiently is retried alone, delivered once all parts are', async () => {
    const profile = productProfile('programmable-wireless');
    h = await startBridge(broker, { reply: { profile, allowMultipart: true } });
    const body = `${'long reply '.repeat(20)}end`;
    h.transmitter.failures.push(null, failure('+CMS ERROR: 500', { transient: true, code: 500 }));
    await send(h, { body, transaction: 'mp' });
    await h.app.waitFor('sent', () => statuses(h, 'mp').some((s) => s.status === 'sent'));
    const decoded = h.transmitter.attempts.map((part) => decodePdu(part.pdu));
    // Part 1 once, part 2 twice (the failed attempt and the retry), all under one concatenation reference.
    expect(decoded.map((sms) => sms.concat?.seq)).toEqual([1, 2, 2]);
    expect(new Set(decoded.map((sms) => sms.concat?.ref)).size).toBe(1);
    expect(decoded.map((sms) => sms.concat?.total)).toEqual([2, 2, 2]);
    expect(h.transmitter.sent).toHaveLength(2);
    expect(decoded[0]!.text! + decoded[2]!.text!).toBe(body);
    const sent = statuses(h, 'mp').find((s) => s.status === 'sent');
    expect(sent.message_reference).toBe(1);
    const reply = h.journal.getReply(sent.id);
    expect(reply).toMatchObject({ state: 'sent', message_references: [1, 2], attempts: 2 });

    // delivered only when every part is.
    await h.bridge.intake.accept(statusReport(1));
    expect(h.journal.getReply(sent.id)).toMatchObject({ state: 'sent', delivered_parts: [true, false] });
    await h.bridge.intake.accept(statusReport(2));
    await h.app.waitFor('delivered', () => statuses(h, 'mp').some((s) => s.status === 'delivered'));
    expect(statuses(h, 'mp').map((s) => s.status)).toEqual(['queued', 'sent', 'delivered']);
  });

  it('a reply and an inbound command flow at the same time', async () => {
    h = await startBridge(broker);
    await Promise.all([
      send(h, { body: 'reply', transaction: 'x' }),
      h.bridge.intake.accept(incoming({ from: '2936', text: 'command', timestamp: '2026-11-27T16:20:05+00:00' })[0]!),
    ]);
    await h.app.waitFor(
      'both',
      () => statuses(h, 'x').some((s) => s.status === 'sent') && h.app.on(h.topics.commandReceived).length === 1,
    );
  });
});
