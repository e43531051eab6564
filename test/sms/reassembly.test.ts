import { describe, expect, it } from 'vitest';
import {
  addPart,
  createReassemblyState,
  type DecodedSms,
  decodePdu,
  encodeDeliver,
  expireParts,
  type ReassemblyState,
} from '../../src/sms/index.js';

const TIMESTAMP = '2026-11-27T16:20:05+01:00';
const parts = (from: string, text: string, concatReference: number) =>
  encodeDeliver({ from, text, timestamp: TIMESTAMP, concatReference }).map((part) => decodePdu(part.pdu));

function feed(state: ReassemblyState, sms: DecodedSms[], now = 0) {
  const messages = [];
  for (const [index, part] of sms.entries()) {
    const result = addPart(state, part, { now: now + index, tag: `slot-${index}` });
    state = result.state;
    if (result.message) messages.push(result.message);
  }
  return { state, messages };
}

describe('multipart reassembly', () => {
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(8); // 360 septets → 3 parts

  it('a single-part SMS comes straight out, state untouched', () => {
    const state = createReassemblyState();
    const [sms] = parts('2936', 'reboot now', 1);
    const result = addPart(state, sms!, { now: 5, tag: 'SM:3' });
    expect(result.state).toBe(state);
    expect(result.message).toMatchObject({
      key: null,
      sender: '2936',
      total: 1,
      partial: false,
      text: 'reboot now',
      tags: ['SM:3'],
      timestamp: TIMESTAMP,
    });
  });

  it('joins parts that arrive out of order, with tags in sequence order', () => {
    const sms = parts('+15551234567', long, 42);
    expect(sms).toHaveLength(3);
    const { state, messages } = feed(createReassemblyState(), [sms[2]!, sms[0]!, sms[1]!]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      sender: '+15551234567',
      ref: 42,
      ref_bits: 8,
      total: 3,
      received: [1, 2, 3],
      missing: [],
      partial: false,
      encoding: 'gsm7',
      text: long,
      tags: ['slot-1', 'slot-2', 'slot-0'],
    });
    expect(state.pending).toEqual({});
  });

  it('drops duplicate parts, before and after completion', () => {
    const sms = parts('2936', long, 7);
    let state = createReassemblyState();
    state = addPart(state, sms[0]!, { now: 0 }).state;
    const again = addPart(state, sms[0]!, { now: 1 });
    expect(again.duplicate).toBe(true);
    expect(again.state).toBe(state);
    state = addPart(state, sms[1]!, { now: 2 }).state;
    const done = addPart(state, sms[2]!, { now: 3 });
    expect(done.message?.text).toBe(long);
    // A part re-read from the modem after the message completed is recognised, not the start of a new message.
    const late = addPart(done.state, sms[1]!, { now: 4 });
    expect(late).toMatchObject({ duplicate: true, message: null });
    expect(late.state.pending).toEqual({});
  });

  it('a new message reusing a completed reference is not mistaken for a duplicate', () => {
    const first = feed(createReassemblyState(), parts('2936', long, 9));
    const second = feed(first.state, parts('2936', long.toUpperCase(), 9), 100);
    expect(second.messages.map((m) => m.text)).toEqual([long.toUpperCase()]);
  });

  it('keeps two senders (and two totals) with the same reference apart', () => {
    const a = parts('+15550000001', long, 5);
    const b = parts('+15550000002', `${long}!`, 5);
    const c = parts('+15550000001', 'x'.repeat(200), 5); // same sender and reference, 2 parts instead of 3
    const { messages } = feed(createReassemblyState(), [a[0]!, b[0]!, c[0]!, b[1]!, a[1]!, c[1]!, b[2]!, a[2]!]);
    expect(messages.map((m) => [m.sender, m.total, m.text])).toEqual([
      ['+15550000001', 2, 'x'.repeat(200)],
      ['+15550000002', 3, `${long}!`],
      ['+15550000001', 3, long],
    ]);
  });

  it('16-bit and 8-bit references with the same number are different messages', () => {
    const eight = encodeDeliver({ from: '1', text: long, timestamp: TIMESTAMP, concatReference: 3 });
    const sixteen = encodeDeliver({
      from: '1',
      text: long,
      timestamp: TIMESTAMP,
      concatReference: 3,
      concatReferenceBits: 16,
    });
    const { state } = feed(
      createReassemblyState(),
      [eight[0]!, sixteen[1]!].map((part) => decodePdu(part.pdu)),
    );
    expect(Object.keys(state.pending)).toHaveLength(2);
  });

  it('an incomplete message comes out partial once the timeout has passed since its first part', () => {
    const sms = parts('2936', long, 11);
    let state = feed(createReassemblyState(), [sms[0]!, sms[2]!], 1_000).state;
    const early = expireParts(state, { now: 60_999, timeoutMs: 60_000 });
    expect(early.messages).toEqual([]);
    state = early.state;
    const late = expireParts(state, { now: 61_000, timeoutMs: 60_000 });
    expect(late.messages).toHaveLength(1);
    expect(late.messages[0]).toMatchObject({
      partial: true,
      received: [1, 3],
      missing: [2],
      total: 3,
      text: sms[0]!.text! + sms[2]!.text!,
      first_received_at: 1_000,
    });
    expect(late.state.pending).toEqual({});
  });

  it('8-bit data parts join into data_hex; text is null', () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff);
    const sms = encodeDeliver({ from: '2936', data, timestamp: TIMESTAMP, concatReference: 1 }).map((p) =>
      decodePdu(p.pdu),
    );
    const { messages } = feed(createReassemblyState(), sms.reverse());
    expect(messages[0]).toMatchObject({
      encoding: '8bit',
      text: null,
      data_hex: Buffer.from(data).toString('hex').toUpperCase(),
    });
  });

  it('the sender can be overridden, e.g. by digits only', () => {
    const sms = parts('+2936', long, 2);
    const alt = parts('2936', long, 2);
    let state = createReassemblyState();
    state = addPart(state, sms[0]!, { now: 0, sender: '2936' }).state;
    state = addPart(state, alt[1]!, { now: 0, sender: '2936' }).state;
    expect(addPart(state, sms[2]!, { now: 0, sender: '2936' }).message?.text).toBe(long);
  });
});
