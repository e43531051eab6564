import { describe, expect, it } from 'vitest';
import { BindAddressError, resolveBindAddress } from '../../src/ip/index.js';

describe('the bind address', () => {
  const interfaces = {
    lo: [{ address: '127.0.0.1', family: 'IPv4' as const, internal: true, netmask: '', mac: '', cidr: null }],
    wwan0: [
      { address: 'fe80::1', family: 'IPv6' as const, internal: false, netmask: '', mac: '', cidr: null, scopeid: 2 },
    ],
  };

  it('by interface name: its IPv4 address; by address: that address', () => {
    expect(resolveBindAddress({ interface: 'lo' }, interfaces)).toBe('127.0.0.1');
    expect(resolveBindAddress({ address: '10.64.12.7' }, interfaces)).toBe('10.64.12.7');
  });

  it('a missing interface, or one without IPv4 (data link down), is a clear error', () => {
    expect(() => resolveBindAddress({ interface: 'wwan1' }, interfaces)).toThrow(
      'network interface wwan1 does not exist (interfaces: lo, wwan0)',
    );
    expect(() => resolveBindAddress({ interface: 'wwan0' }, interfaces)).toThrow(BindAddressError);
    expect(() => resolveBindAddress({ interface: 'wwan0' }, interfaces)).toThrow(
      /no IPv4 address: is the data connection up/,
    );
  });
});
