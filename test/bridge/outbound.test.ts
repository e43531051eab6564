import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MosquittoBroker } from '../helpers/mosquitto.js';
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
  return Object.assign(new Error(message), details);
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
