import { describe, expect, it } from 'vitest';
import { parseCmgl, parseCmgr } from '../../../src/modem/parsers/sms-list.js';

const PDU = '07918497483252F0040B918496445078F700007121320144744004D4F29C0E';

describe('parseCmgr header variants (FACTS.md)', () => {
  const table: [string, string[], { stat: number | undefined; length: number } | null][] = [
    ['stat,,length', ['+CMGR: 0,,23', PDU], { stat: 0, length: 23 }],
    ['stat,length (no alpha field)', ['+CMGR: 0,23', PDU], { stat: 0, length: 23 }],
    ['no stat', ['+CMGR: ,,92', PDU], { stat: undefined, length: 92 }],
    ['empty quoted alpha', ['+CMGR: 0,"",50', PDU], { stat: 0, length: 50 }],
    ['alpha with a name', ['+CMGR: 1,"Bob",23', PDU], { stat: 1, length: 23 }],
    ['space instead of CRLF before the PDU', [`+CMGR: 1,,23 ${PDU}`], { stat: 1, length: 23 }],
    ['lower-case PDU', ['+CMGR: 1,,23', PDU.toLowerCase()], { stat: 1, length: 23 }],
    ['empty slot answering a bare OK', [], null],
    ['header without PDU', ['+CMGR: 0,,23'], null],
    ['garbage instead of PDU', ['+CMGR: 0,,23', 'NOT HEX'], null],
  ];
  for (const [name, lines, expected] of table) {
    it(name, () => {
      const r = parseCmgr(7, lines);
      if (expected === null) expect(r).toBeNull();
      else expect(r).toEqual({ index: 7, ...expected, pdu: PDU });
    });
  }
});

describe('parseCmgl', () => {
  it('lists several messages, with and without alpha, inline PDU, and reports lines it cannot use', () => {
    const r = parseCmgl([
      '+CMGL: 0,1,,23',
      PDU,
      '+CMGL: 3,0,"",23',
      PDU,
      `+CMGL: 5,1,23 ${PDU}`,
      '+CMGL: 9,1,,23',
      '+CMGL: bogus',
    ]);
    expect(r.messages.map((m) => [m.index, m.stat, m.length])).toEqual([
      [0, 1, 23],
      [3, 0, 23],
      [5, 1, 23],
    ]);
    expect(r.skipped).toEqual(['+CMGL: 9,1,,23', '+CMGL: bogus']);
  });

  it('an empty storage is an empty list', () => {
    expect(parseCmgl([])).toEqual({ messages: [], skipped: [] });
  });
});
