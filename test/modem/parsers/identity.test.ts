import { describe, expect, it } from 'vitest';
import { parseIccid, parseImei, parseImsi, parseTextAnswer } from '../../../src/modem/parsers/identity.js';

describe('identity answers', () => {
  it('manufacturer/model/revision with or without a prefix', () => {
    expect(parseTextAnswer(['Quectel'])).toBe('Quectel');
    expect(parseTextAnswer(['+CGMI: "u-blox"'], '+CGMI:')).toBe('u-blox');
    expect(parseTextAnswer(['', 'SIMCOM_Ltd'])).toBe('SIMCOM_Ltd');
  });

  it('IMEI: bare, prefixed, with a serial number after it (ModemManager test_cdma_parse_gsn)', () => {
    expect(parseImei(['354237065082227'])).toBe('354237065082227');
    expect(parseImei(['+CGSN: 354237065082227'])).toBe('354237065082227');
    expect(parseImei(['356936001568843,NL2A62Z0N5'])).toBe('356936001568843');
    expect(parseImei(['adsfasdfasdfasdf'])).toBeUndefined();
  });

  it('IMSI', () => {
    expect(parseImsi(['310260123456789'])).toBe('310260123456789');
    expect(parseImsi(['ERROR-ish'])).toBeUndefined();
  });

  it('ICCID from every vendor form, F padding removed', () => {
    expect(parseIccid(['89860318760200123456'])).toBe('89860318760200123456');
    expect(parseIccid(['+QCCID: 8965012306052989681F'])).toBe('8965012306052989681');
    expect(parseIccid(['+CCID: "8944500102198304826"'])).toBe('8944500102198304826');
    expect(parseIccid(['^ICCID: 98681031098310024233'])).toBe('98681031098310024233');
    expect(parseIccid(['+ICCID: 8988303000001234567'])).toBe('8988303000001234567');
    expect(parseIccid(['OK'])).toBeUndefined();
  });
});
