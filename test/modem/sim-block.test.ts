import { describe, expect, it } from 'vitest';
import { causeOfLock, describeSimBlock, RefusedPins, sameSimBlock } from '../../src/modem/sim-block.js';

describe('a blocked SIM (sim-block.ts)', () => {
  it('names the cause of each +CPIN code no retry soon can fix, and none for one init may still clear', () => {
    expect(causeOfLock('SIM PIN', false, false)).toBe('sim_pin_required');
    expect(causeOfLock('SIM PIN', true, false)).toBeUndefined(); // init enters the configured PIN
    expect(causeOfLock('SIM PIN', true, true)).toBe('sim_pin_rejected');
    expect(causeOfLock('SIM PUK', true, false)).toBe('sim_puk');
    expect(causeOfLock('PH-SIM PIN', false, false)).toBe('sim_locked');
    expect(causeOfLock('SIM PIN2', false, false)).toBe('sim_locked');
    expect(causeOfLock('BUSY', false, false)).toBeUndefined();
    expect(causeOfLock('', false, false)).toBeUndefined();
  });

  it('says what to do, with the tries left when the modem told them, and never a PIN', () => {
    expect(describeSimBlock('sim_pin_rejected', { lock: 'SIM PIN', attempts_left: 2 })).toBe(
      'SIM locked: the configured PIN was refused and is not sent again (2 tries left); fix modem.pin, then reload (SIGHUP)',
    );
    expect(describeSimBlock('sim_pin_required', { lock: 'SIM PIN', attempts_left: null })).toBe(
      'SIM locked: it asks for its PIN and modem.pin is not configured',
    );
    expect(describeSimBlock('sim_puk', { lock: 'SIM PUK', attempts_left: 10 })).toMatch(/PUK \(10 tries left\)/);
    expect(describeSimBlock('sim_locked', { lock: 'PH-NET PIN', attempts_left: null })).toMatch(/PH-NET PIN/);
    expect(describeSimBlock('sim_missing', null)).toMatch(/not inserted/);
  });

  it('remembers refused PINs by value and SIM: a different PIN, or another SIM, may still be tried', () => {
    const refused = new RefusedPins();
    refused.add('0000', 'iccid:8901');
    expect(refused.has('0000', 'iccid:8901')).toBe(true);
    expect(refused.has('1234', 'iccid:8901')).toBe(false);
    expect(refused.has('0000', 'iccid:8902')).toBe(false);
  });

  it("forgets the refusals of a SIM seen unlocked, and only that SIM's", () => {
    const refused = new RefusedPins();
    refused.add('0000', 'iccid:8901');
    refused.add('1111', 'iccid:8901');
    refused.add('0000', 'iccid:8902');
    refused.forget('iccid:8901');
    expect(refused.has('0000', 'iccid:8901')).toBe(false);
    expect(refused.has('1111', 'iccid:8901')).toBe(false);
    expect(refused.has('0000', 'iccid:8902')).toBe(true);
  });

  it('tells a changed block (fewer tries left) from an unchanged one', () => {
    const block = { cause: 'sim_pin_rejected' as const, sim_lock: { lock: 'SIM PIN', attempts_left: 2 }, reason: 'r' };
    expect(sameSimBlock(block, { ...block, sim_lock: { lock: 'SIM PIN', attempts_left: 2 } })).toBe(true);
    expect(sameSimBlock(block, { ...block, sim_lock: { lock: 'SIM PIN', attempts_left: 1 } })).toBe(false);
    expect(sameSimBlock(null, null)).toBe(true);
    expect(sameSimBlock(block, null)).toBe(false);
  });
});
