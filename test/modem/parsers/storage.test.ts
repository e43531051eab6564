import { describe, expect, it } from 'vitest';
import { chooseMemory, parseCpmsTest, parseCpmsUsage } from '../../../src/modem/parsers/storage.js';

describe('+CPMS parsing', () => {
  // Test strings from ModemManager src/tests/test-modem-helpers.c (test_cpms_response_*).
  const tests: [string, string, string[][]][] = [
    [
      'Cinterion',
      '+CPMS: ("ME","MT"),("ME","SM","MT"),("SM","MT")',
      [
        ['ME', 'MT'],
        ['ME', 'SM', 'MT'],
        ['SM', 'MT'],
      ],
    ],
    ['Nokia C6 (empty groups)', '+CPMS: (),(),()', [[], [], []]],
    ['mixed bare and grouped', '+CPMS: ("ME","MT"),"ME",("SM")', [['ME', 'MT'], ['ME'], ['SM']]],
    ['spaces everywhere', '+CPMS:     (  "ME"  ,  "MT"  )   ,  "ME" ,   (  "SM"  )', [['ME', 'MT'], ['ME'], ['SM']]],
    ['empty fields', '+CPMS: (),,(  )', [[], [], []]],
  ];
  for (const [name, line, expected] of tests)
    it(`test response: ${name}`, () => expect(parseCpmsTest([line])).toEqual(expected));

  it('query and set answers give used/total per memory', () => {
    expect(parseCpmsUsage(['+CPMS: "ME",1,100,"MT",5,100,"TA",1,100'])).toEqual([
      { memory: 'ME', used: 1, total: 100 },
      { memory: 'MT', used: 5, total: 100 },
      { memory: 'TA', used: 1, total: 100 },
    ]);
    expect(parseCpmsUsage(['+CPMS: 0,255,0,255,0,255'])[0]).toEqual({ memory: undefined, used: 0, total: 255 });
    expect(parseCpmsUsage(['OK'])).toEqual([]);
  });

  it('chooses a memory offered in all three slots, honouring config and vendor order', () => {
    const huawei: [string[], string[], string[]] = [
      ['ME', 'MT', 'SM', 'SR'],
      ['ME', 'MT', 'SM', 'SR'],
      ['ME', 'SM'],
    ];
    expect(chooseMemory(huawei, 'auto')).toBe('SM');
    expect(chooseMemory(huawei, 'auto', ['MT', 'ME'])).toBe('ME');
    expect(chooseMemory(huawei, 'ME')).toBe('ME');
    expect(chooseMemory([['SM'], ['SM'], ['SM']], 'ME')).toBe('SM');
    expect(chooseMemory([[], [], []], 'auto')).toBeUndefined();
  });
});
