import { describe, expect, it } from 'vitest';
import {
  assembleParts,
  type DecodedSms,
  decodePdu,
  encodeDeliver,
  type PartToAssemble,
  reassemblyKey,
} from '../../src/sms/index.js';

const TIMESTAMP = '2026-11-27T16:20:05+01:00';
const parts = (from: string, text: string, concatReference: number) =>
  encodeDeliver({ from, text, timestamp: TIMESTAMP, concatReference }).map((part) => decodePdu(part.pdu));

/** The parts as received, one millisecond apart from `start`, tagged with their arrival position. */
function received(sms: DecodedSms[], start = 0): PartToAssemble[] {
  return sms.map((part, index) => ({ sms: part, received_at: start + index, tag: `slot-${index}` }));
}

const soon = { now: 10, timeoutMs: 60_000 };

describe('multipart reassembly', () => {
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(8); // 360 septets → 3 parts

  it('a single-part SMS comes straight out', () => {
    const [sms] = parts('2936', 'reboot now', 1);
    const message = assembleParts([{ sms: sms!, received_at: 5, tag: 'SM:3' }], soon);
    expect(message).toMatchObject({
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
    const message = assembleParts(received([sms[2]!, sms[0]!, sms[1]!]), soon);
    expect(message).toMatchObject({
      key: reassemblyKey('+15551234567', 42, 3, 8),
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
  });

  it('counts a repeated part once: the earliest received, and a repeat does not complete a message', () => {
    const sms = parts('2936', long, 7);
    expect(assembleParts(received([sms[0]!, sms[0]!, sms[1]!]), soon)).toBeNull();
    const message = assembleParts(received([sms[0]!, sms[1]!, sms[1]!, sms[2]!]), soon);
    expect(message).toMatchObject({ text: long, tags: ['slot-0', 'slot-1', 'slot-3'] });
  });

  it('keys two senders, two totals and two reference widths with the same reference apart', () => {
    const keys = new Set([
      reassemblyKey('+15550000001', 5, 3, 8),
      reassemblyKey('+15550000002', 5, 3, 8),
      reassemblyKey('+15550000001', 5, 2, 8),
      reassemblyKey('+15550000001', 5, 3, 16),
    ]);
    expect(keys.size).toBe(4);
  });

  it('an incomplete message waits, then comes out partial once the timeout has passed since its first part', () => {
    const sms = parts('2936', long, 11);
    const held = received([sms[0]!, sms[2]!], 1_000);
    expect(assembleParts(held, { now: 60_999, timeoutMs: 60_000 })).toBeNull();
    expect(assembleParts(held, { now: 61_000, timeoutMs: 60_000 })).toMatchObject({
      partial: true,
      received: [1, 3],
      missing: [2],
      total: 3,
      text: sms[0]!.text! + sms[2]!.text!,
      first_received_at: 1_000,
    });
  });

  it('8-bit data parts join into data_hex; text is null', () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) & 0xff);
    const sms = encodeDeliver({ from: '2936', data, timestamp: TIMESTAMP, concatReference: 1 }).map((p) =>
      decodePdu(p.pdu),
    );
    expect(assembleParts(received(sms.reverse()), soon)).toMatchObject({
      encoding: '8bit',
      text: null,
      data_hex: Buffer.from(data).toString('hex').toUpperCase(),
    });
  });
});
