import type { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { BridgeConfig } from '../../src/config/index.js';
import { IpLink } from '../../src/daemon/ip-link.js';
import { silentLogger } from '../../src/util/logger.js';
import { ManualClock } from '../../src/util/manual-clock.js';
import { waitFor } from '../helpers/wait.js';

// The cellular interface may come up after the daemon: the IP link keeps trying on its clock, and binds (a real UDP
// socket on loopback) once the interface has an address.

const config: BridgeConfig['ip_commands'] = {
  enabled: true,
  interface: 'wwan0',
  listen_port: 0,
  mo_address: '100.64.0.1',
  mo_port: 6969,
  allowed_sources: ['100.64.0.1'],
  payload_mode: 'text',
};

describe('IpLink', () => {
  it('retries binding on its clock until the interface exists, then listens on its address', async () => {
    let table: ReturnType<typeof networkInterfaces> = {};
    const clock = new ManualClock(0);
    const link = new IpLink({
      config,
      now: () => clock.now(),
      clock,
      logger: silentLogger(),
      retryMs: 30_000,
      interfaces: () => table,
    });
    try {
      await link.start();
      expect(link.address).toBeNull();
      expect(clock.pending).toBe(1);
      table = {
        wwan0: [
          {
            address: '127.0.0.1',
            netmask: '255.0.0.0',
            family: 'IPv4',
            mac: '00:00:00:00:00:00',
            internal: true,
            cidr: '127.0.0.1/8',
          },
        ],
      };
      clock.advance(29_999);
      expect(link.address).toBeNull();
      clock.advance(1);
      const bound = await waitFor('the link bound', () => link.address);
      expect(bound.address).toBe('127.0.0.1');
    } finally {
      await link.stop();
    }
  });
});
