import { describe, expect, it } from 'vitest';
import {
  assembleStoredParts,
  commandFromMessage,
  commandFromSms,
  multipartKeys,
  PRODUCTS,
} from '../../src/commands/index.js';
import { deliver, SID } from './helpers.js';

const pw = PRODUCTS['programmable-wireless'];
const timestamp = '2026-11-27T17:29:58+01:00';
const long = `${SID} ${'configure sensor thresholds '.repeat(10)}`.trim();

describe('multipart keys and assembly from stored parts', () => {
  const parts = deliver({ from: '2936', text: long, timestamp, concatReference: 42 });

  it('gives every part of one message the same group key and a distinct, re-read-stable part key', () => {
    expect(parts.length).toBeGreaterThan(1);
    const keys = parts.map((part) => multipartKeys(part)!);
    expect(new Set(keys.map((k) => k.group_key)).size).toBe(1);
    expect(new Set(keys.map((k) => k.part_key)).size).toBe(parts.length);
    expect(keys.map((k) => k.seq)).toEqual(parts.map((_, i) => i + 1));
    expect(multipartKeys(structuredClone(parts[0]!))).toEqual(keys[0]);
  });

  it('refuses to turn one part into a command on its own', () => {
    expect(() => commandFromSms(parts[0]!, { profile: pw, receivedAt: 0 })).toThrow(/part 1 of \d+: reassemble/);
  });

  it('has no keys for a single-part SMS', () => {
    expect(multipartKeys(deliver({ from: '2936', text: 'short', timestamp })[0]!)).toBeNull();
  });

  it('assembles the whole message from parts stored in any order, with the SID taken off', () => {
    const stored = parts
      .map((sms, i) => ({ sms, received_at: 1000 + i, tag: `row-${i + 1}` }))
      .reverse()
      .concat({ sms: parts[0]!, received_at: 5000, tag: 'dup' });
    const message = assembleStoredParts(JSON.parse(JSON.stringify(stored)), { now: 6000, timeoutMs: 60_000 })!;
    expect(message).toMatchObject({ partial: false, total: parts.length });
    const command = commandFromMessage(message, { profile: pw, receivedAt: 6000 });
    expect(command).toMatchObject({ id: SID, sid: SID, parts: parts.length, partial: false });
    expect(command.body).toBe(long.slice(SID.length + 1));
  });

  it('waits for a missing part, then gives a partial message after the timeout', () => {
    const stored = parts.slice(0, -1).map((sms, i) => ({ sms, received_at: 1000 + i, tag: String(i) }));
    expect(assembleStoredParts(stored, { now: 1000 + 59_999, timeoutMs: 60_000 })).toBeNull();
    const message = assembleStoredParts(stored, { now: 1000 + 60_000, timeoutMs: 60_000 })!;
    expect(message).toMatchObject({ partial: true, missing: [parts.length] });
    const command = commandFromMessage(message, { profile: pw, receivedAt: 61_000 });
    expect(command).toMatchObject({ partial: true, parts: parts.length, sid: SID });
  });
});
