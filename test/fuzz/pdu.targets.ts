import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  bytesToHex,
  decodePdu,
  encodeDeliver,
  encodeStatusReport,
  encodeSubmit,
  measureText,
  PduError,
} from '../../src/sms/index.js';
import type { FuzzTarget } from './harness.js';

/**
 * Invariant 3 for the SMS codec: whatever the modem hands over, `decodePdu` returns a value or throws PduError naming
 * a real field (never `internal`, never a TypeError/RangeError); and what the encoders make, the decoder reads back.
 */

function onlyResultOrPduError(hex: string, smsc: boolean): void {
  try {
    const decoded = decodePdu(hex, { smsc });
    // The bridge journals and publishes what it decoded: it must serialise.
    expect(typeof JSON.stringify(decoded)).toBe('string');
  } catch (error) {
    if (!(error instanceof PduError)) throw error;
    expect(error.field).not.toBe('internal');
  }
}

/** Real PDUs from the fixtures: Gammu-verified vectors, captured +CMGR/+CMGL/+CMT/+CDS bodies (hex-only lines). */
function fixturePdus(): string[] {
  const dir = join(import.meta.dirname, '..', 'fixtures');
  const vectors = JSON.parse(readFileSync(join(dir, 'sms-gammu-verified.json'), 'utf8')) as {
    vectors: { pdus: string[] }[];
  };
  const fromTraces = [
    'huawei-e303-cmgr.txt',
    'ublox-sara-r4-cmgr.txt',
    'unknown-cmgr-quoted-alpha.txt',
    'generic-cds.txt',
    'gammu-cdsi-status-report.txt',
  ].flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .flatMap((line) => line.split(/\\r|\\n/))
      .filter((piece) => /^[0-9A-F]{20,}$/.test(piece)),
  );
  return [...vectors.vectors.flatMap((v) => v.pdus), ...fromTraces];
}

const tricky = fc.constantFrom('€', '[', '{', '^', '~', '\\', '|', '\f', '@', '\n', 'é', 'Δ', '😀', '👍🏽', 'ж', '中');
const unicodeText = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), tricky),
  maxLength: 400,
});

const encoded = fc.oneof(
  unicodeText.map((text) => encodeSubmit({ to: '+15551234567', text, statusReport: true, validity: '1d' })),
  unicodeText.map((text) => encodeDeliver({ from: 'Twilio', text, timestamp: '2026-11-27T16:20:05+01:00' })),
  fc
    .uint8Array({ maxLength: 300 })
    .map((data) => encodeDeliver({ from: '2936', data, timestamp: '2026-11-27T16:20:05+01:00' })),
  fc.integer({ min: 0, max: 255 }).map((mr) => [
    encodeStatusReport({
      recipient: '2936',
      messageReference: mr,
      timestamp: '2026-11-27T16:20:05+01:00',
      dischargeTime: '2026-11-27T16:20:09+01:00',
      status: mr % 3 === 0 ? 0x00 : mr % 3 === 1 ? 0x20 : 0x40,
    }),
  ]),
);

const mutation = fc.record({
  kind: fc.constantFrom('flip', 'set', 'cut', 'insert', 'delete', 'length'),
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
});

function mutate(pdu: string, mutations: { kind: string; at: number; value: number }[]): string {
  const bytes = Array.from(Buffer.from(pdu, 'hex'));
  for (const { kind, at, value } of mutations) {
    const index = bytes.length === 0 ? 0 : at % bytes.length;
    if (kind === 'flip') bytes[index] = (bytes[index] ?? 0) ^ (1 << (value & 7));
    else if (kind === 'set') bytes[index] = value;
    else if (kind === 'cut') bytes.length = index;
    else if (kind === 'insert') bytes.splice(index, 0, value);
    else if (kind === 'delete') bytes.splice(index, 1);
    // Length octets (SMSC, address, UDL, UDHL) are where decoders overrun: set one to an extreme.
    else bytes[index] = value & 1 ? 0xff : 0x00;
  }
  return bytesToHex(bytes);
}

export const decodeRandomBytes: FuzzTarget = {
  name: 'pdu: decodePdu(random bytes)',
  fuzzRuns: 200_000,
  property: () =>
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, smsc) =>
      onlyResultOrPduError(bytesToHex(bytes), smsc),
    ),
};

export const decodeMutatedEncoderOutput: FuzzTarget = {
  name: 'pdu: decodePdu(mutated encoder output)',
  fuzzRuns: 150_000,
  property: () =>
    fc.property(encoded, fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 5 }), (parts, which, mutations) =>
      onlyResultOrPduError(mutate(parts[which % parts.length]!.pdu, mutations), true),
    ),
};

/** New: mutations of PDUs that real modems and Gammu produced, not only of our own encoders' output. */
export const decodeMutatedFixtures: FuzzTarget = {
  name: 'pdu: decodePdu(mutated fixture PDUs)',
  fuzzRuns: 50_000,
  property: () =>
    fc.property(
      fc.constantFrom(...fixturePdus()),
      fc.array(mutation, { minLength: 1, maxLength: 5 }),
      fc.boolean(),
      (pdu, mutations, smsc) => onlyResultOrPduError(mutate(pdu, mutations), smsc),
    ),
};

export const roundTripText: FuzzTarget = {
  name: 'pdu: encodeSubmit/encodeDeliver → decodePdu (text)',
  fuzzRuns: 30_000,
  property: () =>
    fc.property(unicodeText, fc.boolean(), (text, submit) => {
      const parts = submit
        ? encodeSubmit({ to: '2936', text, concatReference: 7 })
        : encodeDeliver({ from: '2936', text, timestamp: '2026-11-27T16:20:05+01:00', concatReference: 7 });
      const measured = measureText(text);
      expect(parts).toHaveLength(measured.parts);
      const decoded = parts.map((part) => decodePdu(part.pdu));
      expect(decoded.map((d) => d.text).join('')).toBe(text);
    }),
};

export const roundTripBinary: FuzzTarget = {
  name: 'pdu: encodeDeliver → decodePdu (8-bit)',
  fuzzRuns: 20_000,
  property: () =>
    fc.property(fc.uint8Array({ maxLength: 400 }), (data) => {
      const parts = encodeDeliver({ from: '2936', data, timestamp: '2026-11-27T16:20:05Z', concatReference: 9 });
      const hex = parts.map((part) => decodePdu(part.pdu).data_hex ?? '').join('');
      expect(hex).toBe(bytesToHex(data));
    }),
};
