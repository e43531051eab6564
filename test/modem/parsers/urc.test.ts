import { describe, expect, it } from 'vitest';
import { parseCmgs, parseDirectHeader, parseStorageNotice } from '../../../src/modem/parsers/urc.js';

describe('URC parsers', () => {
  it('+CMTI / +CDSI, including the odd forms that mean "sweep"', () => {
    expect(parseStorageNotice('+CMTI: "SM",3')).toEqual({ memory: 'SM', index: 3 });
    expect(parseStorageNotice('+CMTI: "ME",0')).toEqual({ memory: 'ME', index: 0 });
    expect(parseStorageNotice('+CDSI: "SR",12')).toEqual({ memory: 'SR', index: 12 });
    expect(parseStorageNotice('+CMTI: ,-1')).toEqual({ memory: '', index: -1 });
    expect(parseStorageNotice('+CMTI: "MT"')).toEqual({ memory: 'MT', index: -1 });
    expect(parseStorageNotice('+CMGS: 1')).toBeUndefined();
  });

  it('+CMT / +CDS headers give the TPDU length', () => {
    expect(parseDirectHeader('+CMT: ,23')).toBe(23);
    expect(parseDirectHeader('+CMT: "",23')).toBe(23);
    expect(parseDirectHeader('+CMT: "Bob",30')).toBe(30);
    expect(parseDirectHeader('+CDS: 24')).toBe(24);
  });

  it('+CMGS message reference, with the optional scts after it', () => {
    expect(parseCmgs(['+CMGS: 42'])).toBe(42);
    expect(parseCmgs(['+CMGS: 7,"26/01/01,10:00:00+00"'])).toBe(7);
    expect(parseCmgs([])).toBeUndefined();
  });
});
