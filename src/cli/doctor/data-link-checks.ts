import { networkInterfaces } from 'node:os';
import type { BridgeConfig } from '../../config/index.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import type { ModemFacts } from './modem-probe.js';
import type { DaemonAnswer } from './mqtt-probe.js';

const LINK_HINT =
  'the data connection belongs to the OS: check ModemManager/NetworkManager (mmcli -L, nmcli device) or pppd; IP Commands cannot arrive without it';

/**
 * Why IP Commands can or cannot arrive (README, "IP Commands"): the interface and its address (looked at locally),
 * the modem's PDP context (through the daemon's modem/state, or the modem itself when doctor opened the port), and
 * whether the daemon's socket is bound. Read-only, like everything doctor does.
 */
export function dataLinkChecks(
  ip: BridgeConfig['ip_commands'],
  facts: ModemFacts,
  daemon: DaemonAnswer | null,
  interfaces: typeof networkInterfaces = networkInterfaces,
): CheckResult[] {
  if (!ip.enabled) return [skip('ip.data_link', 'data link', 'IP Commands are off (ip_commands.enabled)')];
  const results: CheckResult[] = [];
  const table = interfaces();
  if (ip.interface !== undefined) {
    const entries = table[ip.interface];
    const v4 = entries?.find((entry) => entry.family === 'IPv4')?.address;
    results.push(
      !entries
        ? fail('ip.data_link', 'data link', `network interface ${ip.interface} does not exist`, LINK_HINT)
        : v4
          ? pass('ip.data_link', 'data link', `${ip.interface} is up with ${v4}`)
          : fail(
              'ip.data_link',
              'data link',
              `${ip.interface} has no IPv4 address: the data connection is down`,
              LINK_HINT,
            ),
    );
  } else {
    const present = Object.values(table).some((list) => list?.some((entry) => entry.address === ip.listen_address));
    results.push(
      present || ip.listen_address === '0.0.0.0'
        ? pass('ip.data_link', 'data link', `${ip.listen_address} is a local address`)
        : fail('ip.data_link', 'data link', `no interface has ${ip.listen_address}`, LINK_HINT),
    );
  }
  const link = daemon?.health.modem.data_link;
  const pdpActive = link ? link.pdp_active : facts.pdp ? facts.pdp.some((c) => c.active) : null;
  const pdpAddresses = link
    ? link.pdp_addresses
    : (facts.pdp ?? []).filter((c) => c.active).flatMap((c) => c.addresses);
  results.push(
    pdpActive === null
      ? warn('ip.pdp', 'PDP context', 'the modem could not be asked (AT+CGACT?)', 'wait until the modem is ready')
      : pdpActive
        ? pass('ip.pdp', 'PDP context', `active${pdpAddresses.length ? `, ${pdpAddresses.join(', ')}` : ''}`)
        : fail(
            'ip.pdp',
            'PDP context',
            'no PDP context is active (AT+CGACT?): the modem has no data session',
            LINK_HINT,
          ),
  );
  if (daemon) {
    const listening = link?.ip_commands_listening ?? null;
    results.push(
      listening
        ? pass('ip.socket', 'IP Commands socket', `the daemon listens on ${listening.address}:${listening.port}`)
        : fail(
            'ip.socket',
            'IP Commands socket',
            'the daemon has not bound its IP Commands socket',
            'see the daemon log (journalctl -u m2m-bridge | grep "IP Commands"); it retries every 30 s',
          ),
    );
  }
  return results;
}
