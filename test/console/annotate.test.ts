import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUrcLine, LineAnnotator, responsePrefixOf } from '../../src/console/annotate.js';
import { formatResponse } from '../../src/console/daemon-session.js';
import { describePdu, explainFinal } from '../../src/console/explain.js';
import { formatLine, timestamp } from '../../src/console/format.js';
import { loadHistory, saveHistory } from '../../src/console/history.js';
import { encodeDeliver } from '../../src/sms/index.js';

describe('explainFinal', () => {
  it.each([
    ['+CME ERROR: 10', 'SIM not inserted (3GPP TS 27.007 §9.2)'],
    ['+CME ERROR: 14', 'SIM busy (3GPP TS 27.007 §9.2)'],
    ['+CMS ERROR: 321', 'invalid memory index (3GPP TS 27.005 §3.2.5)'],
    ['+CMS ERROR: 500', 'unknown error (3GPP TS 27.005 §3.2.5)'],
    // AT+CMEE=2 (verbose) hides the number people look up: give it back.
    ['+CME ERROR: SIM busy', 'code 14 (3GPP TS 27.007 §9.2)'],
    ['+CMS ERROR: invalid memory index', 'code 321 (3GPP TS 27.005 §3.2.5)'],
    ['+CME ERROR: 9999', "code 9999: not a standard code, see the modem's AT manual"],
  ])('%s → %s', (line, text) => {
    expect(explainFinal(line)).toBe(text);
  });

  it('has nothing to add to OK, ERROR, or an unknown verbose text', () => {
    expect(explainFinal('OK')).toBeNull();
    expect(explainFinal('ERROR')).toBeNull();
    expect(explainFinal('+CME ERROR: vendor specific thing')).toBeNull();
  });
});

describe('describePdu', () => {
  it('decodes an SMS-DELIVER from 2936 with its text', () => {
    const { pdu } = encodeDeliver({ from: '2936', text: 'reboot now', timestamp: '2026-11-27T10:00:00+00:00' })[0]!;
    expect(describePdu(pdu)).toBe('SMS-DELIVER from 2936 at 2026-11-27T10:00:00+00:00: "reboot now"');
  });

  it('says why a line is not a PDU instead of throwing', () => {
    expect(describePdu('0791')).toMatch(/^not a valid PDU: /);
    expect(describePdu('07912160130300F4040481926300006211726115130005E8329BFD06', 99)).toMatch(/modem said 99/);
  });
});

describe('LineAnnotator', () => {
  it('tells URCs from the answer: +CREG answers AT+CREG? but is a URC during AT+CSQ or when idle', () => {
    expect(responsePrefixOf('AT+CREG?')).toBe('+CREG:');
    expect(responsePrefixOf('at^sysinfo')).toBe('^SYSINFO:');
    expect(responsePrefixOf('ATI')).toBeNull();
    expect(isUrcLine('+CREG: 0,1', 'AT+CREG?')).toBe(false);
    expect(isUrcLine('+CREG: 1', 'AT+CSQ')).toBe(true);
    const a = new LineAnnotator();
    expect(a.annotate('+CREG: 0,1', 'AT+CREG?').kind).toBe('response');
    expect(a.annotate('+CMTI: "SM",3', 'AT+CREG?').kind).toBe('urc');
    expect(a.annotate('OK', 'AT+CREG?')).toEqual({ kind: 'final', text: 'OK', note: null });
    expect(a.annotate('RING', null).kind).toBe('urc');
    expect(a.annotate('Quectel', 'ATI').kind).toBe('response');
  });

  it('decodes the PDU after +CMGL/+CMGR/+CMT headers, checking the length the header gave', () => {
    const { pdu, tpdu_length } = encodeDeliver({
      from: '2936',
      text: 'hi',
      timestamp: '2026-11-27T10:00:00+00:00',
    })[0]!;
    const a = new LineAnnotator();
    expect(a.annotate(`+CMGL: 1,0,,${tpdu_length}`, 'AT+CMGL=4').kind).toBe('response');
    const line = a.annotate(pdu, 'AT+CMGL=4');
    expect(line.kind).toBe('pdu');
    expect(line.note).toMatch(/^SMS-DELIVER from 2936 at .*: "hi"$/);
    // +CMT is a two-line URC: the header is a URC, the PDU after it decoded.
    expect(a.annotate(`+CMT: ,${tpdu_length}`, null).kind).toBe('urc');
    expect(a.annotate(pdu, null).note).toMatch(/"hi"/);
    // A hex-looking answer without a header before it is just a line (AT+CGSN answers the IMEI in digits).
    expect(a.annotate('866758040000001', 'AT+CGSN')).toEqual({ kind: 'response', text: '866758040000001', note: null });
  });

  it('explains errors and nudges towards AT+CMEE=1 when the modem gives no reason', () => {
    const a = new LineAnnotator();
    expect(a.annotate('+CMS ERROR: 321', 'AT+CMGR=9').note).toBe('invalid memory index (3GPP TS 27.005 §3.2.5)');
    expect(a.annotate('ERROR', 'AT+CPIN?').note).toMatch(/AT\+CMEE=1/);
    expect(a.annotate('OK', null)).toEqual({ kind: 'urc', text: 'OK', note: 'late final result (no command waiting)' });
  });
});

describe('format and daemon answers', () => {
  it('timestamps URCs and indents notes', () => {
    const at = new Date(2026, 10, 27, 9, 5, 7, 42).getTime();
    expect(timestamp(at)).toBe('[09:05:07.042]');
    expect(formatLine({ kind: 'urc', text: '+CMTI: "ME",1', note: null }, at)).toEqual([
      '[09:05:07.042] URC +CMTI: "ME",1',
    ]);
    expect(formatLine({ kind: 'final', text: '+CME ERROR: 10', note: 'SIM not inserted' }, at)).toEqual([
      '+CME ERROR: 10',
      '    ↳ SIM not inserted',
    ]);
  });

  it('prints the daemon’s answer: lines and final, an explained error, or the refusal', () => {
    expect(formatResponse({ status: 'ok', data: { lines: ['+CSQ: 20,99'], final: 'OK' } })).toEqual([
      '+CSQ: 20,99',
      '    ↳ signal -73 dBm (RSSI), excellent (3GPP TS 27.007 §8.5)',
      'OK',
    ]);
    expect(formatResponse({ status: 'ok', data: { lines: [], final: '+CME ERROR: 10' } })).toEqual([
      '+CME ERROR: 10',
      '    ↳ SIM not inserted (3GPP TS 27.007 §9.2)',
    ]);
    expect(formatResponse({ status: 'error', data: null, error: 'not allowed' })).toEqual([
      'error from the daemon: not allowed',
    ]);
  });
});

describe('history file', () => {
  it('round-trips, caps its length, and treats a missing or unwritable file as empty, with a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm2m-hist-'));
    try {
      const file = join(dir, 'h');
      expect(loadHistory(file)).toEqual([]);
      expect(saveHistory(file, ['AT+CSQ', 'ATI'])).toBeNull();
      expect(loadHistory(file)).toEqual(['AT+CSQ', 'ATI']);
      writeFileSync(file, Array.from({ length: 600 }, (_, i) => `AT+N${i}`).join('\n'));
      expect(loadHistory(file)).toHaveLength(500);
      expect(saveHistory(join(dir, 'missing-dir', 'h'), ['AT'])).toMatch(/could not save the history/);
      expect(loadHistory(null)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
