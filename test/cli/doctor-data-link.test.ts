import { describe, expect, it } from 'vitest';
import type { DataLinkView } from '../../src/bridge/index.js';
import { UNKNOWN_MODEM } from '../../src/bridge/index.js';
import { dataLinkChecks } from '../../src/cli/doctor/data-link-checks.js';
import type { DaemonAnswer } from '../../src/cli/doctor/mqtt-probe.js';

// doctor's data link lines: why IP Commands can or cannot arrive. The interface table is injected (a gateway's wwan0).
const ip = {
  enabled: true,
  interface: 'wwan0',
  listen_port: 6969,
  mo_address: '100.64.0.1',
  mo_port: 6969,
  allowed_sources: ['100.64.0.1'],
  payload_mode: 'text' as const,
};
const up = () => ({
  wwan0: [{ address: '10.64.12.7', family: 'IPv4' as const, internal: false, netmask: '', mac: '', cidr: null }],
});
const down = () => ({
  wwan0: [
    { address: 'fe80::2', family: 'IPv6' as const, internal: false, netmask: '', mac: '', cidr: null, scopeid: 3 },
  ],
});

function daemonWith(link: DataLinkView): DaemonAnswer {
  return {
    health: { healthy: true, mqtt: 'connected', modem: { ...UNKNOWN_MODEM, data_link: link } },
    info: null,
    at: {},
  };
}

describe('doctor: the data link', () => {
  it('off: one SKIP line', () => {
    expect(dataLinkChecks({ ...ip, enabled: false }, { iccid: null, imei: null, simProblem: null }, null, up)).toEqual([
      expect.objectContaining({ id: 'ip.data_link', status: 'skip' }),
    ]);
  });

  it('through the daemon: interface up, PDP context active, socket bound', () => {
    const results = dataLinkChecks(
      ip,
      { iccid: null, imei: null, simProblem: null },
      daemonWith({
        interface: 'wwan0',
        interface_present: true,
        address: '10.64.12.7',
        pdp_active: true,
        pdp_addresses: ['10.64.12.7'],
        ip_commands_listening: { address: '10.64.12.7', port: 6969 },
      }),
      up,
    );
    expect(results.map((r) => [r.id, r.status, r.detail])).toEqual([
      ['ip.data_link', 'pass', 'wwan0 is up with 10.64.12.7'],
      ['ip.pdp', 'pass', 'active, 10.64.12.7'],
      ['ip.socket', 'pass', 'the daemon listens on 10.64.12.7:6969'],
    ]);
  });

  it('link down: the interface has no IPv4 address, no PDP context (asked by doctor itself), with what to check', () => {
    const results = dataLinkChecks(
      ip,
      { iccid: null, imei: null, simProblem: null, pdp: [{ cid: 1, active: false, addresses: [] }] },
      null,
      down,
    );
    expect(results).toEqual([
      expect.objectContaining({
        id: 'ip.data_link',
        status: 'fail',
        detail: 'wwan0 has no IPv4 address: the data connection is down',
        hint: expect.stringContaining('ModemManager/NetworkManager'),
      }),
      expect.objectContaining({
        id: 'ip.pdp',
        status: 'fail',
        detail: expect.stringContaining('no PDP context is active'),
      }),
    ]);
  });

  it('a missing interface, and a daemon whose socket is not bound', () => {
    const results = dataLinkChecks(
      { ...ip, interface: 'wwan1' },
      { iccid: null, imei: null, simProblem: null },
      daemonWith({
        interface: 'wwan1',
        interface_present: false,
        address: null,
        pdp_active: null,
        pdp_addresses: [],
        ip_commands_listening: null,
      }),
      up,
    );
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['ip.data_link', 'fail'],
      ['ip.pdp', 'warn'],
      ['ip.socket', 'fail'],
    ]);
    expect(results[0]!.detail).toBe('network interface wwan1 does not exist');
  });
});
