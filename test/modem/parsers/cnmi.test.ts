import { describe, expect, it } from 'vitest';
import { cnmiCandidates, formatCnmi } from '../../../src/modem/parsers/cnmi.js';

describe('+CNMI candidates', () => {
  it('prefers buffered store-and-notify with stored status reports', () => {
    const c = cnmiCandidates(['+CNMI: (0-3),(0-3),(0,2),(0-2),(0,1)']);
    expect(formatCnmi(c[0]!)).toBe('AT+CNMI=2,1,0,2,0');
    expect(c.map(formatCnmi)).toContain('AT+CNMI=1,1,0,0,0');
  });

  it('falls back when the modem offers no ds=2 (SIM800-style) or no mode 2', () => {
    expect(cnmiCandidates(['+CNMI: (0-2),(0-3),(0,2),(0,1),(0,1)']).map(formatCnmi)).toEqual([
      'AT+CNMI=2,1,0,1,0',
      'AT+CNMI=2,1,0,0,0',
      'AT+CNMI=1,1,0,1,0',
      'AT+CNMI=1,1,0,0,0',
    ]);
    expect(formatCnmi(cnmiCandidates(['+CNMI: (0,1),(0-3),(0),(0-2),(0,1)'])[0]!)).toBe('AT+CNMI=1,1,0,2,0');
  });

  it('without a test answer it still tries every sensible setting, best first', () => {
    const c = cnmiCandidates(undefined).map(formatCnmi);
    expect(c[0]).toBe('AT+CNMI=2,1,0,2,0');
    expect(c).toContain('AT+CNMI=1,1,0,0,0');
  });

  it('the +CNMI=? answer from a gammu SR-memory report (gammu issue #408) gives 2,1,0,2,0', () => {
    expect(formatCnmi(cnmiCandidates(['+CNMI: (0,1,2),(0,1,2,3),(0,2),(0,1,2),(0,1)'])[0]!)).toBe('AT+CNMI=2,1,0,2,0');
  });
});
