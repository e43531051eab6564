import { describe, expect, it } from 'vitest';
import { recogniseFinal } from '../../src/at/final-result.js';

describe('recogniseFinal', () => {
  const table: [string, ReturnType<typeof recogniseFinal>][] = [
    ['OK', { kind: 'ok' }],
    ['ERROR', { kind: 'error', text: 'ERROR' }],
    ['NO CARRIER', { kind: 'error', text: 'NO CARRIER' }],
    ['BUSY', { kind: 'error', text: 'BUSY' }],
    ['NO ANSWER', { kind: 'error', text: 'NO ANSWER' }],
    ['NO DIALTONE', { kind: 'error', text: 'NO DIALTONE' }],
    ['COMMAND NOT SUPPORT', { kind: 'error', text: 'COMMAND NOT SUPPORT' }],
    ['+CME ERROR: 14', { kind: 'cme', code: 14, text: 'SIM busy' }],
    ['+CME ERROR: SIM busy', { kind: 'cme', code: 14, text: 'SIM busy' }],
    ['+CME ERROR: SIM PIN required', { kind: 'cme', code: 11, text: 'SIM PIN required' }],
    ['+CME ERROR: "SIM not inserted"', { kind: 'cme', code: 10, text: 'SIM not inserted' }],
    ['+CME ERROR: 3517', { kind: 'cme', code: 3517, text: 'error 3517' }],
    ['+CME ERROR: vendor special', { kind: 'cme', code: undefined, text: 'vendor special' }],
    ['+CMS ERROR: 500', { kind: 'cms', code: 500, text: 'unknown error' }],
    ['+CMS ERROR: 321', { kind: 'cms', code: 321, text: 'invalid memory index' }],
    ['+CMS ERROR: Invalid memory index', { kind: 'cms', code: 321, text: 'Invalid memory index' }],
    ['+CMS ERROR: SMSC address unknown', { kind: 'cms', code: 330, text: 'SMSC address unknown' }],
    ['+CMS ERROR:512', { kind: 'cms', code: 512, text: 'error 512' }],
    ['+CMTI: "SM",1', null],
    ['OKAY', null],
    ['0', null],
    ['+CMGS: 12', null],
  ];
  for (const [line, expected] of table) {
    it(JSON.stringify(line), () => expect(recogniseFinal(line)).toEqual(expected));
  }
});
