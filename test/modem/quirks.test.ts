import { describe, expect, it } from 'vitest';
import { selectQuirks } from '../../src/modem/quirks/index.js';

describe('vendor quirk selection', () => {
  const table: [string, string, string][] = [
    ['Quectel', 'EC25', 'quectel'],
    ['SIMCOM_Ltd', 'SIMCOM_SIM800L', 'simcom'],
    ['SIMCOM INCORPORATED', 'SIMCOM_SIM7600E-H', 'simcom'],
    ['u-blox', 'SARA-R410M-02B', 'ublox'],
    ['huawei', 'E3131', 'huawei'],
    ['Telit', 'LE910C1-EU', 'telit'],
    ['Acme', 'X1', 'generic'],
  ];
  for (const [m, model, want] of table)
    it(`${m} ${model} → ${want}`, () => expect(selectQuirks('auto', m, model).name).toBe(want));

  it('config wins over detection', () => {
    expect(selectQuirks('huawei', 'Quectel', 'EC25').name).toBe('huawei');
    expect(selectQuirks('quectel', '', '').storageOrder[0]).toBe('ME');
  });
});
