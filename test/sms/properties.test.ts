import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleParts,
  bytesToHex,
  type DecodedSms,
  decodePdu,
  encodeDeliver,
  encodeSubmit,
  measureText,
  PduError,
} from '../../src/sms/index.js';

// Characters that stress the encoders: GSM-7 extension characters (two septets), default-alphabet specials,
// characters outside GSM-7, emoji (surrogate pairs) and emoji with modifiers (two pairs).
const tricky = fc.constantFrom(
  '€',
  '[',
  ']',
  '{',
  '}',
  '^',
  '~',
  '\\',
  '|',
  '\f',
  '@',
  '\n',
  'é',
  'Δ',
  'ç',
  '😀',
  '👍🏽',
  'ж',
  '中',
);
const unicodeUnit = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), tricky);
// size 'large' so that multipart texts (more than 160 septets / 70 units) are common, not rare.
const unicodeText = fc.string({ unit: unicodeUnit, maxLength: 500, size: 'large' });
const gsmUnit = fc.constantFrom(...'abcXYZ019 .,!?@£$¥é\nΔ€[]{}^~\\|\f');
const gsmText = fc.string({ unit: gsmUnit, maxLength: 500, size: 'large' });

function reassemble(decoded: DecodedSms[], order: number[]) {
  const parts = order.map((index, position) => ({ sms: decoded[index]!, received_at: position, tag: null }));
  return assembleParts(parts, { now: order.length, timeoutMs: 60_000 });
}

/** A permutation of 0..length-1 from a seed (Fisher-Yates over a small LCG), so fast-check can shrink the seed. */
function permutation(length: number, seed: number): number[] {
  const order = Array.from({ length }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const shuffled = (length: number) =>
  fc.shuffledSubarray(
    Array.from({ length }, (_, i) => i),
    { minLength: length, maxLength: length },
  );

describe('properties', () => {
  it('encodeSubmit → decode → reassemble (any order) gives back any Unicode text', () => {
    fc.assert(
      fc.property(unicodeText, fc.integer({ min: 0, max: 255 }), fc.nat(), (text, ref, seed) => {
        const parts = encodeSubmit({ to: '+15551234567', text, concatReference: ref });
        const measured = measureText(text);
        expect(parts).toHaveLength(measured.parts);
        const decoded = parts.map((part) => {
          expect(part.tpdu_length).toBe(part.pdu.length / 2 - 1);
          expect(part.tpdu_length).toBeLessThanOrEqual(164);
          return decodePdu(part.pdu);
        });
        expect(decoded.every((d) => d.encoding === measured.encoding)).toBe(true);
        const message = reassemble(decoded, permutation(decoded.length, seed));
        expect(message?.partial).toBe(false);
        expect(message?.text).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('GSM-7-only text stays GSM-7 and round-trips through encodeDeliver', () => {
    fc.assert(
      fc.property(gsmText, fc.integer({ min: 0, max: 65535 }), (text, ref) => {
        const parts = encodeDeliver({
          from: 'Twilio',
          text,
          timestamp: '2026-11-27T16:20:05-03:30',
          concatReference: ref,
          concatReferenceBits: 16,
        });
        const decoded = parts.map((part) => decodePdu(part.pdu));
        expect(decoded.every((d) => d.encoding === 'gsm7')).toBe(true);
        expect(decoded.map((d) => d.text).join('')).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('byte arrays round-trip as 8-bit data, parts reassembled in random order', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700, size: 'large' }),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(),
        (data, ref, seed) => {
          const parts = encodeDeliver({ from: '2936', data, timestamp: '2026-01-01T00:00:00Z', concatReference: ref });
          const decoded = parts.map((part) => decodePdu(part.pdu));
          expect(reassemble(decoded, permutation(decoded.length, seed))?.data_hex).toBe(bytesToHex(data));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parts fed in every order reassemble the same (fc.shuffledSubarray)', () => {
    fc.assert(
      fc.property(fc.string({ unit: unicodeUnit, minLength: 161, maxLength: 600 }), fc.context(), (text, ctx) => {
        const decoded = encodeSubmit({ to: '2936', text, concatReference: 1 }).map((part) => decodePdu(part.pdu));
        fc.assert(
          fc.property(shuffled(decoded.length), (order) => {
            ctx.log(order.join(','));
            expect(reassemble(decoded, order)?.text).toBe(text);
          }),
          { numRuns: 10 },
        );
      }),
      { numRuns: 50 },
    );
  });

  function onlyResultOrPduError(hex: string, smsc: boolean): void {
    try {
      const decoded = decodePdu(hex, { smsc });
      expect(typeof JSON.stringify(decoded)).toBe('string');
    } catch (error) {
      expect(error).toBeInstanceOf(PduError);
      expect((error as PduError).field).not.toBe('internal');
    }
  }

  it('random bytes only ever decode or throw PduError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, smsc) => {
        onlyResultOrPduError(bytesToHex(bytes), smsc);
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated valid PDUs (flipped, cut, inserted, deleted octets) only ever decode or throw PduError', () => {
    const valid = fc
      .tuple(unicodeText, fc.uint8Array({ maxLength: 150 }), fc.constantFrom('submit', 'deliver', 'binary'))
      .map(([text, data, kind]) => {
        if (kind === 'submit')
          return encodeSubmit({ to: '+15551234567', text, statusReport: true, validity: '1d' })[0]!.pdu;
        if (kind === 'deliver')
          return encodeDeliver({ from: 'Twilio', text, timestamp: '2026-11-27T16:20:05+01:00' })[0]!.pdu;
        return encodeDeliver({
          from: '2936',
          data,
          timestamp: '2026-11-27T16:20:05+01:00',
          ports: { destination: 2948 },
        })[0]!.pdu;
      });
    const mutation = fc.record({
      kind: fc.constantFrom('flip', 'set', 'cut', 'insert', 'delete'),
      at: fc.nat(),
      value: fc.integer({ min: 0, max: 255 }),
    });
    fc.assert(
      fc.property(valid, fc.array(mutation, { minLength: 1, maxLength: 4 }), (pdu, mutations) => {
        const bytes = Array.from(Buffer.from(pdu, 'hex'));
        for (const { kind, at, value } of mutations) {
          const index = bytes.length === 0 ? 0 : at % bytes.length;
          if (kind === 'flip') bytes[index] = (bytes[index] ?? 0) ^ (1 << (value & 7));
          else if (kind === 'set') bytes[index] = value;
          else if (kind === 'cut') bytes.length = index;
          else if (kind === 'insert') bytes.splice(index, 0, value);
          else bytes.splice(index, 1);
        }
        onlyResultOrPduError(bytesToHex(bytes), true);
      }),
      { numRuns: 3000 },
    );
  });
});
