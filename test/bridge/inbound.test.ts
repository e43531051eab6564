import { afterEach, describe, expect, it } from 'vitest';
import { brokerForThisFile } from '../helpers/broker.js';
import { type Harness, incoming, startBridge } from './harness.js';

const SID = `DC${'0123456789abcdef'.repeat(2)}`;
const SCTS = '2026-11-27T16:20:05+01:00';
const broker = brokerForThisFile();
let h: Harness;

afterEach(async () => h?.close());

function received(harness: Harness) {
  return harness.app.on(harness.topics.commandReceived).map((m) => JSON.parse(m.text));
}

describe('bridge inbound: modem → journal → command/received', () => {
  it('commits a text command before accept() resolves, then publishes it once with its fields', async () => {
    h = await startBridge(broker);
    const [sms] = incoming({ from: '2936', text: 'reboot now', timestamp: SCTS });
    await h.bridge.intake.accept(sms!);
    // The driver deletes from the modem right after accept() resolves: by then the journal must hold it.
    expect(h.journal.counts().inbox_unpublished + h.journal.history({ direction: 'inbound' }).length).toBeGreaterThan(
      0,
    );
    const message = await h.app.waitFor('command/received', (m) => m.topic === h.topics.commandReceived);
    const command = JSON.parse(message.text);
    expect(command).toMatchObject({
      mode: 'text',
      body: 'reboot now',
      from: '2936',
      sent_at: SCTS,
      parts: 1,
      partial: false,
      sid: null,
    });
    expect(command.id).toMatch(/^sms_[0-9a-f]{32}$/);
    await h.bridge.idle();
    expect(h.journal.getInbound(command.id)?.state).toBe('published');
  });

  it('takes the IncludeSid off the start or the end of the text into sid and uses it as id', async () => {
    h = await startBridge(broker);
    await h.bridge.intake.accept(incoming({ from: '+2936', text: `${SID} open valve`, timestamp: SCTS })[0]!);
    await h.bridge.intake.accept(
      incoming({ from: '2936', text: `close valve ${SID.replace('DC0', 'DC1')}`, timestamp: SCTS })[0]!,
    );
    await h.app.waitFor('two commands', () => received(h).length === 2);
    const [start, end] = received(h);
    expect(start).toMatchObject({ id: SID, sid: SID, body: 'open valve' });
    expect(end).toMatchObject({ sid: SID.replace('DC0', 'DC1'), body: 'close valve' });
  });

  it('publishes an 8-bit SMS as a binary command with a base64 body', async () => {
    h = await startBridge(broker);
    await h.bridge.intake.accept(
      incoming({ from: '2936', data: new Uint8Array([0, 1, 0xfe, 0xff]), timestamp: SCTS })[0]!,
    );
    const message = await h.app.waitFor('binary command', (m) => m.topic === h.topics.commandReceived);
    expect(JSON.parse(message.text)).toMatchObject({
      mode: 'binary',
      body: Buffer.from([0, 1, 0xfe, 0xff]).toString('base64'),
    });
  });

  it('publishes a command the modem hands over twice only once', async () => {
    h = await startBridge(broker);
    const [sms] = incoming({ from: '2936', text: 'status?', timestamp: SCTS });
    await h.bridge.intake.accept(sms!);
    await h.bridge.intake.accept(sms!);
    await h.bridge.intake.accept(incoming({ from: '2936', text: 'second', timestamp: SCTS })[0]!);
    await h.app.waitFor('second command', (m) => m.text.includes('"second"'));
    await h.bridge.idle();
    expect(received(h).map((c) => c.body)).toEqual(['status?', 'second']);
  });

  it('reassembles a multipart command whose parts arrive out of order', async () => {
    h = await startBridge(broker);
    const text = 'configure: '.repeat(30).trim();
    const parts = incoming({ from: '2936', text, timestamp: SCTS, concatReference: 42 });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of [...parts].reverse()) await h.bridge.intake.accept(part);
    const message = await h.app.waitFor('the whole message', (m) => m.topic === h.topics.commandReceived);
    expect(JSON.parse(message.text)).toMatchObject({ body: text, parts: parts.length, partial: false });
  });

  it('publishes a multipart command with a lost part as partial after the timeout', async () => {
    h = await startBridge(broker, { multipartTimeoutMs: 300 });
    const parts = incoming({ from: '2936', text: 'x'.repeat(400), timestamp: SCTS, concatReference: 7 });
    await h.bridge.intake.accept(parts[0]!);
    await h.bridge.intake.accept(parts[2]!);
    const message = await h.app.waitFor('partial message', (m) => m.topic === h.topics.commandReceived, 5_000);
    const command = JSON.parse(message.text);
    expect(command).toMatchObject({ partial: true, parts: 3 });
    expect(command.body).toBe('x'.repeat(153) + 'x'.repeat(400 - 306));
  });

  it('never publishes an SMS from an unknown sender as a command; it goes to sms/rejected and the journal', async () => {
    h = await startBridge(broker);
    await h.bridge.intake.accept(incoming({ from: '+4917612345678', text: `${SID} open valve`, timestamp: SCTS })[0]!);
    await h.bridge.intake.accept(incoming({ from: '2936', text: 'after', timestamp: SCTS })[0]!);
    const rejected = await h.app.waitFor('sms/rejected', (m) => m.topic === h.topics.smsRejected);
    expect(JSON.parse(rejected.text)).toMatchObject({ from: '+4917612345678', body: `${SID} open valve` });
    expect(JSON.parse(rejected.text).id).not.toBe(SID);
    await h.app.waitFor('the allowed command', (m) => m.text.includes('"after"'));
    expect(received(h).map((c) => c.body)).toEqual(['after']);
  });

  it('keeps rejected SMS out of MQTT when publish_rejected is off, but still journals them', async () => {
    h = await startBridge(broker, { publishRejected: false });
    await h.bridge.intake.accept(incoming({ from: '+4917612345678', text: 'spam', timestamp: SCTS })[0]!);
    await h.bridge.intake.accept(incoming({ from: '2936', text: 'after', timestamp: SCTS })[0]!);
    await h.app.waitFor('the allowed command', (m) => m.text.includes('"after"'));
    expect(h.app.on(h.topics.smsRejected)).toHaveLength(0);
    expect(
      h.journal
        .history({ direction: 'inbound' })
        .some((item) => item.direction === 'inbound' && item.entry.kind === 'rejected'),
    ).toBe(true);
  });

  it('journals an undecodable PDU as rejected instead of losing or crashing on it', async () => {
    h = await startBridge(broker);
    await h.bridge.intake.accept({
      pdu: '0791FFFF',
      decoded: null,
      decode_error: { message: 'truncated', field: 'tp_mti', offset: 4 },
    });
    const rejected = await h.app.waitFor('sms/rejected', (m) => m.topic === h.topics.smsRejected);
    expect(JSON.parse(rejected.text)).toMatchObject({ pdu: '0791FFFF', reason: 'undecodable PDU: truncated' });
  });

  it('re-publishes commands committed while the broker was away, with the same ids, once it returns', async () => {
    h = await startBridge(broker);
    await broker.stop();
    for (let i = 0; i < 20; i++)
      await h.bridge.intake.accept(incoming({ from: '2936', text: `away ${i}`, timestamp: SCTS })[0]!);
    await broker.start();
    await h.app.waitFor('all 20 commands', () => received(h).length >= 20, 15_000);
    await h.bridge.idle();
    const bodies = new Set(received(h).map((c) => c.body));
    expect(bodies.size).toBe(20);
    expect(h.journal.counts().inbox_unpublished).toBe(0);
  });
});
