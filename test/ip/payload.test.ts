import { describe, expect, it } from 'vitest';
import {
  BindAddressError,
  datagramFromPayload,
  IpPayloadTooLargeError,
  payloadFromDatagram,
  resolveBindAddress,
} from '../../src/ip/index.js';

describe('IP Command payloads', () => {
  it('valid UTF-8 is text when text is preferred; anything else, or binary preferred, is base64', () => {
    expect(payloadFromDatagram(Buffer.from('valve open ✓'), 'text')).toEqual({ mode: 'text', body: 'valve open ✓' });
    expect(payloadFromDatagram(Buffer.from([0xc3, 0x28]), 'text')).toEqual({ mode: 'binary', body: 'wyg=' });
    expect(payloadFromDatagram(Buffer.from('hi'), 'binary')).toEqual({ mode: 'binary', body: 'aGk=' });
    expect(payloadFromDatagram(Buffer.alloc(0), 'text')).toEqual({ mode: 'text', body: '' });
  });

  it('a reply becomes the datagram bytes; 1300 bytes fit, 1301 are refused with the size', () => {
    expect(datagramFromPayload('AAEC/w==', 'binary')).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(datagramFromPayload('é'.repeat(650), 'text').length).toBe(1300);
    expect(() => datagramFromPayload('é'.repeat(650) + 'x', 'text')).toThrow(IpPayloadTooLargeError);
    expect(() => datagramFromPayload(Buffer.alloc(1301).toString('base64'), 'binary')).toThrow(
      'the payload is 1301 bytes; one IP Command carries at most 1300',
    );
  });
});

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
