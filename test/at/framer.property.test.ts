import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AtFramer, type AtToken } from '../../src/at/framer.js';

/** Cuts `bytes` at the given sorted offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const o of [...new Set(offsets)].sort((a, b) => a - b)) {
    if (o <= prev || o >= bytes.length) continue;
    out.push(bytes.subarray(prev, o));
    prev = o;
  }
  out.push(bytes.subarray(prev));
  return out;
}

const lineText = fc.stringMatching(/^[A-Za-z0-9+:,"^ ]{1,40}$/).filter((s) => s !== '> ' && !s.startsWith('> '));
const ending = fc.constantFrom('\r\n', '\n', '\r', '\r\r\n', '\n\r');

describe('AtFramer properties', () => {
  it('any line-end mix and any chunking yields the same lines', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(lineText, ending), { maxLength: 12 }),
        fc.array(fc.nat(400), { maxLength: 20 }),
        (lines, offsets) => {
          const wire = Buffer.from(lines.map(([t, e]) => t + e).join(''), 'latin1');
          const framer = new AtFramer();
          const tokens: AtToken[] = cut(wire, offsets).flatMap((c) => framer.push(c));
          expect(tokens).toEqual(lines.map(([t]) => ({ type: 'line', text: t })));
        },
      ),
    );
  });

  it('random bytes never make it hold more than maxLineLength, and a clean line after them still comes through', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 10 }), (junk, offsets) => {
        const framer = new AtFramer({ maxLineLength: 128 });
        for (const c of cut(Buffer.from(junk), offsets)) {
          framer.push(c);
          expect(framer.buffered).toBeLessThanOrEqual(128);
        }
        const tail = framer.push(Buffer.from('\r\nOK\r\n'));
        expect(tail.at(-1)).toEqual({ type: 'line', text: 'OK' });
      }),
    );
  });
});
