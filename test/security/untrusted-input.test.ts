import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultRig } from '../faults/rig.js';
import { brokerForThisFile } from '../helpers/broker.js';
import { waitFor } from '../helpers/wait.js';

// Input from outside the trust boundary: MQTT payloads of any size from any local program, SMS from any sender.

const broker = brokerForThisFile();
let rig: FaultRig;
beforeAll(async () => {
  rig = await FaultRig.create(broker);
  rig.startDaemon('debug');
  await rig.waitModemReady();
});
afterAll(async () => {
  await rig?.close();
});

const cmgsCount = () => rig.sim.modem.log().filter((e) => e.direction === 'in' && e.text.startsWith('AT+CMGS')).length;

describe('oversized MQTT payloads', () => {
  it('a command/send payload over 64 KiB is refused before it is parsed: no transaction read, nothing sent', async () => {
    const before = cmgsCount();
    // Valid JSON with a valid reply and a transaction: only not parsing it at all explains a null transaction.
    const huge = JSON.stringify({ body: 'reboot', transaction: 'big-1', pad: 'x'.repeat(70 * 1024) });
    expect(Buffer.byteLength(huge)).toBeGreaterThan(64 * 1024);
    await rig.publisher.publishAsync(rig.topic('command/send'), huge, { qos: 1 });
    const refusal = await waitFor('payload_too_large status', () =>
      rig.statuses().find((s) => s.error?.code === 'payload_too_large'),
    );
    expect(refusal).toMatchObject({ status: 'failed', transaction: null, id: null });
    await rig.daemon?.waitForLog('drop logged', (l) => l.msg === 'command/send payload too large; dropped');
    // The daemon is alive and still serves a normal reply after it; the big one never reached the modem.
    await rig.reply('after the big one', 'small-1');
    await waitFor('the small reply sent', () => rig.sentTexts().includes('after the big one'));
    expect(cmgsCount() - before).toBe(1);
    expect(rig.sentTexts()).not.toContain('reboot');
  });

  it('a bridge/request payload over 64 KiB gets an error response without being parsed, and the next request is served', async () => {
    const huge = JSON.stringify({ transaction: 'big-request', pad: 'x'.repeat(100 * 1024) });
    await rig.publisher.publishAsync(rig.topic('bridge/request/health_check'), huge, { qos: 1 });
    await rig.publisher.publishAsync(
      rig.topic('bridge/request/health_check'),
      JSON.stringify({ transaction: 'small-request' }),
      { qos: 1 },
    );
    const responses = () =>
      rig.app
        .on(rig.topic('bridge/response/health_check'))
        .map((m) => JSON.parse(m.text) as { status: string; transaction: string | null; error: string | null });
    await waitFor('both responses', () => responses().length >= 2);
    // Not parsed: the transaction inside it was never read.
    expect(responses()).toContainEqual(
      expect.objectContaining({ status: 'error', transaction: null, error: expect.stringMatching(/too large/) }),
    );
    expect(responses()).toContainEqual(expect.objectContaining({ status: 'ok', transaction: 'small-request' }));
    expect(responses().some((r) => r.transaction === 'big-request')).toBe(false);
  });
});

describe('SMS from senders outside the allow-list', () => {
  it('are never published on command/received, whatever they say or claim', async () => {
    const strangers = [
      { from: '+15551234567', text: 'reboot now' },
      { from: '29360', text: 'digits around the short code' },
      { from: '936', text: 'part of the short code' },
      { from: 'Twilio', text: 'alphanumeric sender' },
      { from: '+442936', text: 'short code as a suffix' },
      { from: '+15557654321', text: 'DC0123456789abcdef0123456789abcdef a forged IncludeSid' },
    ];
    for (const sms of strangers) rig.sim.modem.injectSms(sms);
    rig.sim.modem.injectSms({ from: '+2936', text: 'the real short code' });
    await rig.waitCommands(['the real short code']);
    await waitFor(
      'every stranger on sms/rejected',
      () => rig.app.on(rig.topic('sms/rejected')).length >= strangers.length,
    );

    const published = rig.commands().map((c) => c.body);
    expect(published).toEqual(['the real short code']);
    const rejected = rig.app.on(rig.topic('sms/rejected')).map((m) => JSON.parse(m.text) as Record<string, unknown>);
    expect(rejected.map((r) => r.body).sort()).toEqual(strangers.map((s) => s.text).sort());
    // A stranger's text that looks like a Command SID is not taken for one.
    for (const r of rejected) expect(r.sid ?? null).toBeNull();
    // Journaled and deleted from the SIM like everything else (a full SIM would stop all reception).
    await waitFor('SIM emptied', () => rig.storedOnSim() === 0);
  });
});
