import { describe, expect, it } from 'vitest';
import { SweepMemories } from '../../src/modem/sweep-memories.js';

function planned(primary: string, readable: string[], reportMemory?: string) {
  const plan = new SweepMemories();
  plan.reset(primary, readable, reportMemory);
  return plan;
}

describe('SweepMemories', () => {
  it('a full sweep lists the receive memory first, then SM/ME, then SR; vendor memories never', () => {
    expect(planned('ME', ['SM', 'ME', 'SR', 'BM', 'TA']).full).toEqual(['ME', 'SM', 'SR']);
    expect(planned('SM', ['SM']).full).toEqual(['SM']);
  });

  it('with MT as the receive memory (SM and ME together), SM and ME are not listed again', () => {
    expect(planned('MT', ['SM', 'ME', 'MT', 'SR']).full).toEqual(['MT', 'SR']);
  });

  it('a periodic sweep looks at the status-report memory and the receive memory, the receive memory last', () => {
    const plan = planned('SM', ['SM', 'ME', 'SR'], 'SR');
    expect(plan.periodic).toEqual(['SR', 'SM']);
    expect(plan.receiveMemory).toBe('SM');
  });

  it('reports stored in the receive memory itself add nothing to a periodic sweep', () => {
    expect(planned('SM', ['SM', 'ME', 'SR'], 'SM').periodic).toEqual(['SM']);
    expect(planned('SM', ['SM', 'ME', 'SR']).periodic).toEqual(['SM']);
  });

  it('a memory a notice named is swept periodically from then on, once, and forgotten at the next init', () => {
    const plan = planned('SM', ['SM', 'ME', 'SR'], 'SR');
    plan.noticed('ME');
    plan.noticed('ME');
    plan.noticed('SM');
    expect(plan.periodic).toEqual(['SR', 'ME', 'SM']);
    plan.reset('SM', ['SM', 'ME', 'SR'], 'SR');
    expect(plan.periodic).toEqual(['SR', 'SM']);
  });

  it('a named memory the modem cannot list (not offered for reading) stays out of the periodic sweep', () => {
    const plan = planned('SM', ['SM', 'SR']);
    plan.noticed('ME');
    expect(plan.periodic).toEqual(['SM']);
  });

  it('a notice slot is readable in a listed or standard memory with an index ≥ 0, else it means "sweep"', () => {
    const plan = planned('SM', ['SM', 'SR']);
    expect(plan.canRead('SM', 0)).toBe(true);
    // Standard memories a +CMTI may name even when +CPMS=? did not offer them for reading (Quectel names ME).
    expect(plan.canRead('ME', 3)).toBe(true);
    expect(plan.canRead('MT', 3)).toBe(true);
    expect(plan.canRead('SM', -1)).toBe(false);
    expect(plan.canRead('', 0)).toBe(false);
    expect(plan.canRead('BM', 1)).toBe(false);
  });
});
