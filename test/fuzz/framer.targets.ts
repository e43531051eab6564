import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { AtFramer, type AtToken } from '../../src/at/framer.js';
import { loadFixture } from '../modem/fixture.js';
import type { FuzzTarget } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

/**
 * The modem side of gammu's recorded dialogue as wire bytes: with ATE1 on, each command it sent comes back as echo
 * (`AT…<CR>`), each answer framed `<CR><LF>text<CR><LF>` (V.250 §5.7.1, ATV1). `<esc>` lines were never echoed.
 */
function gammuDialogueWire(): string {
  return readFileSync(join(FIXTURES, 'sim-gammu-1.42-dialogue.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('> ') || line.startsWith('< '))
    .map((line) => {
      const text = line.slice(2).replaceAll('<ctrl-z>', '\x1a');
      if (line.startsWith('< ')) return text === '>' ? '\r\n> ' : `\r\n${text}\r\n`;
      return text.includes('<esc>') ? '' : `${text}\r`;
    })
    .join('');
}

/** Every captured modem trace in test/fixtures (the `<device>-<what>.txt` files), plus gammu's whole dialogue. */
export function recordedDialogues(): { name: string; wire: Buffer }[] {
  const traces = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.txt') && !name.startsWith('sim-gammu'))
    .map((name) => ({ name, wire: Buffer.from(loadFixture(name).wire, 'latin1') }));
  return [...traces, { name: 'sim-gammu-1.42-dialogue.txt', wire: Buffer.from(gammuDialogueWire(), 'latin1') }];
}

/** Cuts `bytes` at the given offsets (any order, duplicates and out-of-range ones ignored). */
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

const frame = (chunks: Buffer[]): AtToken[] => {
  const framer = new AtFramer();
  return chunks.flatMap((chunk) => framer.push(chunk));
};

/** New: any chunking of a recorded dialogue parses to the tokens the whole buffer gives (and byte by byte, too). */
export const framerRecordedChunking: FuzzTarget = {
  name: 'at: framer, recorded dialogues in any chunking',
  fuzzRuns: 150_000,
  property: () => {
    const dialogues = recordedDialogues().map((d) => ({ ...d, tokens: frame([d.wire]) }));
    return fc.property(
      fc.constantFrom(...dialogues),
      fc.array(fc.nat({ max: 4000 }), { maxLength: 60 }),
      (dialogue, offsets) => {
        expect(dialogue.tokens.length).toBeGreaterThan(0);
        expect(frame(cut(dialogue.wire, offsets))).toEqual(dialogue.tokens);
      },
    );
  },
};

/**
 * New in this form: random bytes (line ends, `>`, NUL and high bytes over-represented) in random chunks, with a random
 * line bound. Nothing throws; the framer never holds more than the bound; no line token is longer than the bound or
 * contains a line end; every byte is accounted for (in a line, a prompt, a drop count, a line end or the tail).
 */
export const framerRandomBytes: FuzzTarget = {
  name: 'at: framer, random bytes within the line bound',
  fuzzRuns: 100_000,
  property: () => {
    const byte = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }) },
      { weight: 2, arbitrary: fc.constantFrom(0x0d, 0x0a, 0x3e, 0x20, 0x00, 0xff, 0x1a, 0x1b) },
    );
    return fc.property(
      fc.array(byte, { maxLength: 1500 }),
      fc.array(fc.nat({ max: 1600 }), { maxLength: 30 }),
      fc.integer({ min: 2, max: 300 }),
      (values, offsets, max) => {
        const bytes = Buffer.from(values);
        const framer = new AtFramer({ maxLineLength: max });
        let accounted = 0;
        for (const chunk of cut(bytes, offsets)) {
          for (const token of framer.push(chunk)) {
            if (token.type === 'line') {
              expect(token.text.length).toBeLessThanOrEqual(max);
              expect(token.text).not.toMatch(/[\r\n]/);
              accounted += token.text.length;
            } else if (token.type === 'prompt') accounted += 2;
            else {
              expect(token.dropped).toBeGreaterThan(max);
              accounted += token.dropped;
            }
          }
          expect(framer.buffered).toBeLessThanOrEqual(max);
        }
        const lineEnds = values.filter((v) => v === 0x0d || v === 0x0a).length;
        // The unfinished tail is either buffered or being dropped (counted on its line end, which has not come yet).
        expect(accounted + lineEnds).toBeLessThanOrEqual(bytes.length);
        expect(accounted + lineEnds + framer.buffered).toBeGreaterThanOrEqual(bytes.length - countTailDropped(values));
      },
    );
  },
};

/** Bytes after the last line end: the framer may be skipping them as an over-long line not yet ended. */
function countTailDropped(values: number[]): number {
  let n = 0;
  for (let i = values.length - 1; i >= 0 && values[i] !== 0x0d && values[i] !== 0x0a; i--) n++;
  return n;
}
