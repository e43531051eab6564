import type { Issue } from './wireless-rules.js';

/** ip_commands: where to listen must be said when it is on, and only one way. */
export function ipCommandRules(
  ip: { enabled: boolean; interface?: string | undefined; listen_address?: string | undefined },
  issue: Issue,
): void {
  if (ip.interface !== undefined && ip.listen_address !== undefined) {
    issue(['ip_commands', 'listen_address'], 'set ip_commands.interface or ip_commands.listen_address, not both');
  }
  if (ip.enabled && ip.interface === undefined && ip.listen_address === undefined) {
    issue(
      ['ip_commands', 'interface'],
      'required when ip_commands.enabled is true (the cellular interface, e.g. wwan0; or set ip_commands.listen_address)',
    );
  }
}
