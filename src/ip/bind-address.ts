import type { NetworkInterfaceInfo } from 'node:os';

/**
 * Which local address the IP Commands socket binds to. IP Commands arrive over the cellular data link only, so the
 * socket binds to that interface's address (by interface name, e.g. `wwan0`, or by the address itself), never to every
 * interface unless `0.0.0.0` is asked for explicitly. Pure: the interface table is a parameter (os.networkInterfaces()).
 */
export type BindTarget = { interface: string } | { address: string };

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

export class BindAddressError extends Error {
  override name = 'BindAddressError';
}

export function resolveBindAddress(target: BindTarget, interfaces: InterfaceTable): string {
  if ('address' in target) return target.address;
  const entries = interfaces[target.interface];
  if (!entries) {
    const known = Object.keys(interfaces).join(', ') || 'none';
    throw new BindAddressError(`network interface ${target.interface} does not exist (interfaces: ${known})`);
  }
  const v4 = entries.find((entry) => entry.family === 'IPv4');
  if (!v4) {
    throw new BindAddressError(`network interface ${target.interface} has no IPv4 address: is the data connection up?`);
  }
  return v4.address;
}
