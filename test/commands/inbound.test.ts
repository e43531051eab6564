import { describe, expect, it } from 'vitest';
import {
  commandFromSms,
  messageFromSms,
  PRODUCTS,
  productProfile,
  rejectedFromMessage,
  splitIncludeSid,
} from '../../src/commands/index.js';
import { deliverOne, HC_SID, SID } from './helpers.js';

const pw = PRODUCTS['programmable-wireless'];
const receivedAt = Date.parse('2026-11-27T16:30:00.000Z');
const timestamp = '2026-11-27T17:29:58+01:00';

describe('splitIncludeSid', () => {
  it('takes the SID off the start with exactly one space', () => {
    expect(splitIncludeSid(`${SID} reboot now`, pw)).toEqual({ sid: SID, body: 'reboot now', position: 'start' });
  });

  it('takes the SID off the end with exactly one space', () => {
    expect(splitIncludeSid(`reboot now ${SID}`, pw)).toEqual({ sid: SID, body: 'reboot now', position: 'end' });
  });

  it('keeps body whitespace beyond the one separator', () => {
    expect(splitIncludeSid(`${SID}  two spaces`, pw)).toEqual({ sid: SID, body: ' two spaces', position: 'start' });
  });

  it('leaves text alone when the SID is not separated by exactly one space', () => {
    for (const text of [`${SID}reboot`, `reboot${SID}`, `${SID}\treboot`, `x ${SID.slice(0, 33)}`]) {
      expect(splitIncludeSid(text, pw)).toEqual({ sid: null, body: text, position: null });
    }
  });

  it("recognises only the product's prefix and 32 hex digits", () => {
    expect(splitIncludeSid(`${HC_SID} go`, pw).sid).toBeNull();
    expect(splitIncludeSid(`${HC_SID} go`, PRODUCTS['super-sim']).sid).toBe(HC_SID);
    expect(splitIncludeSid(`DC${'g'.repeat(32)} go`, pw).sid).toBeNull();
  });

  it('prefers the start when both ends look like a SID', () => {
    const other = 'DCffffffffffffffffffffffffffffffff';
    expect(splitIncludeSid(`${SID} x ${other}`, pw)).toEqual({ sid: SID, body: `x ${other}`, position: 'start' });
  });

  it('reads a text that is only a SID as an empty command', () => {
    expect(splitIncludeSid(SID, pw)).toEqual({ sid: SID, body: '', position: 'start' });
  });
});

describe('commandFromSms', () => {
  it('turns a GSM-7 SMS from 2936 into a text command with a digest id', () => {
    const sms = deliverOne({ from: '2936', text: 'reboot', timestamp });
    const command = commandFromSms(sms, { profile: pw, receivedAt });
    expect(command).toEqual({
      id: expect.stringMatching(/^sms_[0-9a-f]{32}$/),
      sid: null,
      mode: 'text',
      body: 'reboot',
      from: '2936',
      sent_at: timestamp,
      received_at: '2026-11-27T16:30:00.000Z',
      parts: 1,
      partial: false,
    });
  });

  it('gives the same id when the modem hands the same SMS over twice, even read at another time', () => {
    const sms = deliverOne({ from: '2936', text: 'reboot', timestamp });
    const first = commandFromSms(sms, { profile: pw, receivedAt });
    const again = commandFromSms(deliverOne({ from: '2936', text: 'reboot', timestamp }), {
      profile: pw,
      receivedAt: receivedAt + 60_000,
    });
    expect(again.id).toBe(first.id);
  });

  it('gives different ids to different bodies, senders or send times', () => {
    const id = (options: { from?: string; text?: string; timestamp?: string }) =>
      commandFromSms(deliverOne({ from: '2936', text: 'a', timestamp, ...options }), { profile: pw, receivedAt }).id;
    const ids = new Set([
      id({}),
      id({ text: 'b' }),
      id({ from: '+2936' }),
      id({ timestamp: '2026-11-27T17:29:59+01:00' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('uses the Command SID as id and takes it off the body (IncludeSid=start and end)', () => {
    for (const text of [`${SID} set interval 60`, `set interval 60 ${SID}`]) {
      const command = commandFromSms(deliverOne({ from: '+2936', text, timestamp }), { profile: pw, receivedAt });
      expect(command).toMatchObject({ id: SID, sid: SID, body: 'set interval 60', mode: 'text' });
    }
  });

  it('keeps UCS-2 text (emoji, non-Latin) as text', () => {
    const command = commandFromSms(deliverOne({ from: '2936', text: 'Привет 👋', timestamp }), {
      profile: pw,
      receivedAt,
    });
    expect(command).toMatchObject({ mode: 'text', body: 'Привет 👋' });
  });

  it('turns 8-bit data into a binary command with a base64 body, never searched for a SID', () => {
    const data = new Uint8Array([0x00, 0xff, 0x10, 0x1a, 0x0d, 0x0a]);
    const command = commandFromSms(deliverOne({ from: '2936', data, timestamp }), { profile: pw, receivedAt });
    expect(command).toMatchObject({ mode: 'binary', body: Buffer.from(data).toString('base64'), sid: null });
    const sidBytes = new TextEncoder().encode(`${SID} x`);
    const binarySid = commandFromSms(deliverOne({ from: '2936', data: sidBytes, timestamp }), {
      profile: pw,
      receivedAt,
    });
    expect(binarySid).toMatchObject({ mode: 'binary', sid: null });
    expect(binarySid.id).toMatch(/^sms_/);
  });

  it('handles the Super SIM profile (000, HC SIDs)', () => {
    const command = commandFromSms(deliverOne({ from: '000', text: `${HC_SID} ping`, timestamp }), {
      profile: productProfile('super-sim'),
      receivedAt,
    });
    expect(command).toMatchObject({ id: HC_SID, body: 'ping', from: '000' });
  });
});

describe('rejectedFromMessage', () => {
  it('keeps the text as received with a digest id, even if it ends in something SID-shaped', () => {
    const sms = deliverOne({ from: '+15550001234', text: `hello ${SID}`, timestamp });
    const rejected = rejectedFromMessage(messageFromSms(sms), { profile: pw, receivedAt }, 'not allowed');
    expect(rejected).toMatchObject({ body: `hello ${SID}`, from: '+15550001234', reason: 'not allowed', mode: 'text' });
    expect(rejected.id).toMatch(/^sms_/);
    expect(rejected).not.toHaveProperty('sid');
  });
});

describe('productProfile', () => {
  it('names the key and the choices for an unknown product', () => {
    expect(() => productProfile('wireless')).toThrow(
      'commands.product: expected one of programmable-wireless, super-sim, got "wireless"',
    );
  });
});
