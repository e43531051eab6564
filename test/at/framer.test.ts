import { describe, expect, it } from 'vitest';
import { AtFramer, type AtToken } from '../../src/at/framer.js';
import { splits } from './wire.js';

function frame(chunks: Buffer[], maxLineLength?: number): AtToken[] {
  const f = new AtFramer(maxLineLength ? { maxLineLength } : {});
  return chunks.flatMap((c) => f.push(c));
}

const line = (text: string): AtToken => ({ type: 'line', text });
const prompt: AtToken = { type: 'prompt' };

const CASES: [string, string, AtToken[]][] = [
  ['CRLF framed response', '\r\n+CSQ: 23,99\r\n\r\nOK\r\n', [line('+CSQ: 23,99'), line('OK')]],
  [
    'echo with CR only, then CRLF',
    'AT+CSQ\r\r\n+CSQ: 5,0\r\n\r\nOK\r\n',
    [line('AT+CSQ'), line('+CSQ: 5,0'), line('OK')],
  ],
  ['LF only (some USB CDC firmware)', '+CREG: 0,1\nOK\n', [line('+CREG: 0,1'), line('OK')]],
  ['LFCR and stray CRs', '\n\r+CMTI: "SM",3\n\r\r\r\rOK\r', [line('+CMTI: "SM",3'), line('OK')]],
  ['SMS prompt without line end', 'AT+CMGS=23\r\r\n> ', [line('AT+CMGS=23'), prompt]],
  ['URC just before the prompt', '\r\n+CMTI: "ME",0\r\n\r\n> ', [line('+CMTI: "ME",0'), prompt]],
  [
    'PDU echo after prompt, then result',
    '\r\n> 0011000B\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n',
    [prompt, line('0011000B\x1a'), line('+CMGS: 7'), line('OK')],
  ],
  ['">" inside a line is not a prompt', 'a> b\r\n', [line('a> b')]],
  ['binary garbage survives as latin1', '\xff\x00\xfe\r\nOK\r\n', [line('\xff\x00\xfe'), line('OK')]],
];

describe('AtFramer', () => {
  for (const [name, wire, expected] of CASES) {
    it(`${name}: same tokens at every chunk boundary`, () => {
      for (const chunks of splits(wire)) expect(frame(chunks)).toEqual(expected);
    });
  }

  it('drops an over-long line and keeps the next one', () => {
    const wire = `${'X'.repeat(50)}\r\nOK\r\n`;
    for (const chunks of splits(wire)) {
      expect(frame(chunks, 16)).toEqual([{ type: 'overflow', dropped: 50 }, line('OK')]);
    }
  });

  it('a garbage flood without line ends never holds more than maxLineLength bytes', () => {
    const f = new AtFramer({ maxLineLength: 64 });
    const junk = Buffer.alloc(1024, 0x55);
    for (let i = 0; i < 1000; i++) {
      expect(f.push(junk)).toEqual([]);
      expect(f.buffered).toBeLessThanOrEqual(64);
    }
    expect(f.push(Buffer.from('\r\nOK\r\n'))).toEqual([{ type: 'overflow', dropped: 1024 * 1000 }, line('OK')]);
  });

  it('keeps a line of exactly maxLineLength bytes', () => {
    expect(frame([Buffer.from(`${'A'.repeat(8)}\r\n`)], 8)).toEqual([line('A'.repeat(8))]);
  });

  it('reset forgets a partial line', () => {
    const f = new AtFramer();
    f.push(Buffer.from('+CMT'));
    f.reset();
    expect(f.push(Buffer.from('OK\r\n'))).toEqual([line('OK')]);
  });
});
