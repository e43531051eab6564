import { describe, expect, it } from 'vitest';
import { PRODUCTS, senderDigits, senderPolicy } from '../../src/commands/index.js';

const pw = PRODUCTS['programmable-wireless'];

describe('senderPolicy', () => {
  it("defaults to the product's short code, matched by digits in any formatting", () => {
    const policy = senderPolicy(pw);
    expect(policy.allowed).toEqual(['2936']);
    for (const from of ['2936', '+2936', ' 2936 ', '+29 36']) {
      expect(policy.check(from), from).toEqual({ accepted: true, from, matched: '2936' });
    }
  });

  it('does not let a short code match a longer number that ends with it', () => {
    const policy = senderPolicy(pw);
    for (const from of ['12936', '29360', '+4915112936']) {
      const result = policy.check(from);
      expect(result.accepted, from).toBe(false);
    }
  });

  it('explains a rejection with the sender and the list', () => {
    expect(senderPolicy(pw).check('+15550001234')).toEqual({
      accepted: false,
      from: '+15550001234',
      reason: 'sender "+15550001234" is not in commands.allowed_senders (2936)',
    });
  });

  it('uses the Super SIM short code 000 and keeps its zeros', () => {
    const policy = senderPolicy(PRODUCTS['super-sim']);
    expect(policy.check('000').accepted).toBe(true);
    expect(policy.check('+000').accepted).toBe(true);
    expect(policy.check('0').accepted).toBe(false);
    expect(policy.check('2936').accepted).toBe(false);
  });

  it('matches a configured phone number in national and international forms', () => {
    const policy = senderPolicy(pw, ['+49 176 1234 5678', '2936']);
    for (const from of ['+4917612345678', '004917612345678', '017612345678', '4917612345678']) {
      expect(policy.check(from), from).toMatchObject({ accepted: true, matched: '+49 176 1234 5678' });
    }
    expect(policy.check('+4917612345679').accepted).toBe(false);
  });

  it('replaces the default when a list is configured, and matches alphanumeric senders case-insensitively', () => {
    const policy = senderPolicy(pw, ['Twilio']);
    expect(policy.check('2936').accepted).toBe(false);
    expect(policy.check('TWILIO')).toMatchObject({ accepted: true, matched: 'Twilio' });
  });
});

describe('senderDigits', () => {
  it('drops formatting and an international 00 prefix, and refuses non-numbers', () => {
    expect(senderDigits('+1 (555) 000-1234')).toBe('15550001234');
    expect(senderDigits('004917612345678')).toBe('4917612345678');
    expect(senderDigits('000')).toBe('000');
    expect(senderDigits('Twilio')).toBeNull();
  });
});
