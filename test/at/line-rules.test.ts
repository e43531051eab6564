import { describe, expect, it } from 'vitest';
import { classify, type InFlight, type LineState, MAX_RESPONSE_LINES, PROMPT } from '../../src/at/line-rules.js';
import type { UrcDefinition } from '../../src/at/urc-registry.js';

// The channel's line rules as a table: (what came from the modem, the state it came in, what it means). The wire
// tests in channel.test.ts run the same rules through a transport at every byte boundary.

const cmti: UrcDefinition = { name: 'cmti', match: '+CMTI:', handler: () => {} };
const cmt: UrcDefinition = { name: 'cmt', match: '+CMT:', lines: 2, handler: () => {} };
const creg: UrcDefinition = { name: 'creg', match: '+CREG:', handler: () => {} };
const URCS = [cmti, cmt, creg];

function flight(overrides: Partial<InFlight> = {}): InFlight {
  return {
    command: 'AT+CMGL=4',
    echo: undefined,
    prefix: undefined,
    bodyLines: false,
    expectBody: false,
    lines: [],
    inputWritten: false,
    promptSeen: false,
    aligned: false,
    markerSeen: false,
    ...overrides,
  };
}

function state(overrides: Partial<LineState> = {}): LineState {
  return {
    flight: undefined,
    awaitingPrompt: false,
    pendingUrc: undefined,
    findUrc: (line) => URCS.find((def) => typeof def.match === 'string' && line.startsWith(def.match)),
    ...overrides,
  };
}

const PDU = '07911326040000F0040B911346610089F60000208062917314080CC8F71D14969741F977FD07';

const rows: Array<[string, string | typeof PROMPT, LineState, ReturnType<typeof classify>]> = [
  ['the prompt token while a command waits for it', PROMPT, state({ awaitingPrompt: true }), { type: 'prompt' }],
  ['a bare ">" line while a command waits for its prompt', '>', state({ awaitingPrompt: true }), { type: 'prompt' }],
  [
    'a second prompt before the PDU was written',
    PROMPT,
    state({ flight: flight({ promptSeen: true }) }),
    { type: 'doubled-prompt' },
  ],
  [
    'a prompt after the PDU was written',
    PROMPT,
    state({ flight: flight({ promptSeen: true, inputWritten: true }) }),
    { type: 'stray-prompt' },
  ],
  ['a prompt with no command at all', PROMPT, state(), { type: 'stray-prompt' }],
  [
    'a bare ">" line nobody waits for is an ordinary line',
    '>',
    state({ flight: flight() }),
    { type: 'response', expectBody: false },
  ],
  ['OK', 'OK', state({ flight: flight() }), { type: 'final', result: { kind: 'ok' } }],
  ['OK with no command (a late answer)', 'OK', state(), { type: 'final', result: { kind: 'ok' } }],
  [
    '+CMS ERROR',
    '+CMS ERROR: 500',
    state({ flight: flight() }),
    { type: 'final', result: { kind: 'cms', code: 500, text: expect.any(String) } },
  ],
  [
    'OK of an aligned command before its marker',
    'OK',
    state({ flight: flight({ aligned: true }) }),
    { type: 'unaligned-ok' },
  ],
  [
    'OK of an aligned command after its marker',
    'OK',
    state({ flight: flight({ aligned: true, markerSeen: true }) }),
    { type: 'final', result: { kind: 'ok' } },
  ],
  [
    'an error ends an aligned command without its marker',
    'ERROR',
    state({ flight: flight({ aligned: true }) }),
    { type: 'final', result: { kind: 'error', text: 'ERROR' } },
  ],
  [
    'the marker line of an aligned command',
    '+CMEE: 1',
    state({ flight: flight({ aligned: true }) }),
    { type: 'alignment' },
  ],
  ['the whole echo', 'AT+CMGL=4', state({ flight: flight({ echo: 'AT+CMGL=4' }) }), { type: 'echo', rest: undefined }],
  [
    'the echo in any case',
    'at+cmgl=4',
    state({ flight: flight({ echo: 'AT+CMGL=4' }) }),
    { type: 'echo', rest: undefined },
  ],
  [
    'a first piece of the echo',
    'AT+CM',
    state({ flight: flight({ echo: 'AT+CMGL=4' }) }),
    { type: 'echo', rest: 'GL=4' },
  ],
  [
    'the PDU echo ended by Ctrl-Z',
    '0011000B\x1a',
    state({ flight: flight({ echo: '0011000B', inputWritten: true }) }),
    { type: 'echo', rest: undefined },
  ],
  ['a URC while idle', '+CMTI: "SM",2', state(), { type: 'urc', def: cmti, lines: ['+CMTI: "SM",2'] }],
  [
    'a URC between a +CMGL header and its PDU',
    '+CMTI: "SM",2',
    state({ flight: flight({ prefix: '+CMGL:', bodyLines: true, expectBody: true }) }),
    { type: 'urc', def: cmti, lines: ['+CMTI: "SM",2'] },
  ],
  [
    'the command’s own prefix is never a URC (+CREG: answering AT+CREG?)',
    '+CREG: 0,1',
    state({ flight: flight({ command: 'AT+CREG?', prefix: '+CREG:' }) }),
    { type: 'response', expectBody: false },
  ],
  ['the header of a two-line URC', '+CMT: ,24', state(), { type: 'urc-header', def: cmt, header: '+CMT: ,24' }],
  [
    'the PDU line after a two-line URC header',
    '0791AABBCCDD',
    state({ pendingUrc: { def: cmt, header: '+CMT: ,24' } }),
    { type: 'urc', def: cmt, lines: ['+CMT: ,24', '0791AABBCCDD'] },
  ],
  [
    'a two-line URC header whose PDU was lost does not swallow the OK',
    'OK',
    state({ flight: flight(), pendingUrc: { def: cmt, header: '+CMT: ,24' } }),
    { type: 'final', result: { kind: 'ok' }, droppedUrcHeader: '+CMT: ,24' },
  ],
  [
    'a prefixed header of a command with bodies',
    '+CMGL: 1,0,,23',
    state({ flight: flight({ prefix: '+CMGL:', bodyLines: true }) }),
    { type: 'response', expectBody: true },
  ],
  [
    'the PDU body after a header',
    PDU,
    state({ flight: flight({ prefix: '+CMGL:', bodyLines: true, expectBody: true }) }),
    { type: 'response', expectBody: false },
  ],
  [
    'a hex line with no header before it is not the answer of a prefixed command',
    PDU,
    state({ flight: flight({ prefix: '+CMGL:', bodyLines: true }) }),
    { type: 'ignored', during: 'command' },
  ],
  [
    'bare text answering a command without prefix (AT+CGMI)',
    'Quectel',
    state({ flight: flight({ command: 'AT+CGMI' }) }),
    { type: 'response', expectBody: false },
  ],
  [
    'an answer line beyond the limit',
    'Quectel',
    state({ flight: flight({ lines: Array.from({ length: MAX_RESPONSE_LINES }, () => 'x') }) }),
    { type: 'overflow' },
  ],
  ['an unknown line while idle', 'HELLO', state(), { type: 'ignored', during: 'idle' }],
];

describe('the AT line rules (classify)', () => {
  it.each(rows)('%s', (_name, input, lineState, expected) => {
    expect(classify(input, lineState)).toEqual(expected);
  });
});
