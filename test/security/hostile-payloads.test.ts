import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultRig } from '../faults/rig.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';

// Invariant 3: nothing the daemon receives over MQTT can crash it; bad input gets a clear error naming the problem,
// and what was already accepted is not lost. Broken payloads on command/send and bridge/request, through the real
// binary and a real broker.

const broker = brokerForThisFile();
let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.create(broker);
  rig.startDaemon();
  await rig.waitModemReady();
});
afterAll(async () => {
  await rig?.close();
});

const HOSTILE_REPLIES: [string, Buffer | string, string][] = [
  ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x00, 0x41]), 'invalid_utf8'],
  ['truncated JSON', '{"body":', 'invalid_json'],
  ['10 000 levels of nesting', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, ''],
  ['body of the wrong type', '{"body":["reboot"],"transaction":"t-type"}', 'invalid_type'],
  ['prototype keys', '{"body":"x","__proto__":{"polluted":true},"constructor":{"prototype":{}}}', ''],
  ['empty payload', '', 'empty_body'],
  ['too long for one SMS', JSON.stringify({ body: 'é'.repeat(200) }), 'too_long'],
  ['binary that is not base64', '{"body":"@@@@","mode":"binary"}', 'invalid_base64'],
  ['an object as transaction', '{"body":"x","transaction":{"$gt":""}}', 'invalid_type'],
];

describe('hostile MQTT payloads', () => {
  it('each broken reply gets one failed status naming the problem; the daemon keeps running and serving', async () => {
    for (const [, payload] of HOSTILE_REPLIES)
      await rig.publisher.publishAsync(rig.topic('command/send'), payload, { qos: 1 });
    for (const action of ['constructor', '__proto__', 'health_check/../sweep', 'x'.repeat(300)])
      await rig.publisher.publishAsync(rig.topic(`bridge/request/${action}`), '{"transaction":"odd"}', { qos: 1 });
    await rig.reply('still alive', 'alive-1');
    await waitFor('the good reply sent', () => rig.sentTexts().includes('still alive'), 15_000);
    const refusals = () => rig.statuses().filter((s) => s.status === 'failed' && s.id === null);
    await waitFor('a refusal per broken reply', () => refusals().length >= HOSTILE_REPLIES.length);

    const codes = refusals().map((s) => s.error?.code);
    for (const [what, , code] of HOSTILE_REPLIES) if (code) expect(codes, what).toContain(code);
    for (const refusal of refusals()) expect(refusal.error?.message, refusal.error?.code).toBeTruthy();
    // Nothing but the good reply reached the network; the process never restarted.
    expect(rig.sentTexts()).toEqual(['still alive']);
    expect(rig.daemon?.child.exitCode).toBeNull();
    expect(rig.logLines().some((line) => line.level === 60)).toBe(false);
    // Odd action names are answered as unknown, and the daemon still answers a real one.
    await rig.publisher.publishAsync(rig.topic('bridge/request/health_check'), '{"transaction":"hc"}', { qos: 1 });
    const health = await rig.app.waitFor(
      'health response',
      (m) => m.topic === rig.topic('bridge/response/health_check') && m.text.includes('"transaction":"hc"'),
    );
    expect(JSON.parse(health.text)).toMatchObject({ status: 'ok', data: { healthy: true } });
  });
});
