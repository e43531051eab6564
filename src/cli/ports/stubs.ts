import type { PortReport } from './describe.js';

/**
 * Pure part of `m2m-bridge ports` for gateways with several modems: one ready config per AT port found, for the
 * systemd template (`m2m-bridge@<name>` reads /etc/m2m-bridge/<name>.yaml). The port is named by its
 * /dev/serial/by-id link, which follows the modem's USB serial number and interface, never by ttyUSBn, which moves
 * between boots. Everything else a named instance needs to stay apart from the others (base topic m2m/<name>,
 * journal /var/lib/m2m-bridge/<name>/journal.db, client id) is the default for its name, so the stub stays short.
 */
interface ConfigStub {
  /** Suggested instance name: lte1, lte2 … in path order. */
  instance: string;
  /** The AT port the stub points at (by-id when there is one). */
  serial_path: string;
  /** The YAML text, comments included. */
  yaml: string;
}

export function configStubs(reports: readonly PortReport[], configDir = '/etc/m2m-bridge'): ConfigStub[] {
  return reports
    .filter((r) => r.likely_at)
    .map((r, index) => {
      const instance = `lte${index + 1}`;
      const serialPath = r.by_id ?? r.path;
      const who = [r.modem, r.serial_number ? `serial ${r.serial_number}` : null].filter(Boolean).join(', ');
      const lines = [
        `# ${configDir}/${instance}.yaml: ${who}`,
        `# Start it with: sudo systemctl enable --now m2m-bridge@${instance}`,
        `# Topics under m2m/${instance}/…, journal /var/lib/m2m-bridge/${instance}/journal.db (defaults of the name).`,
        ...(r.by_id
          ? []
          : [
              `# No /dev/serial/by-id link for ${r.path}: ttyUSBn numbers move; prefer /dev/m2m/by-path/… (udev rules).`,
            ]),
        'serial:',
        `  path: ${serialPath}`,
        'mqtt:',
        '  url: mqtt://127.0.0.1:1883',
        '# metrics:            # each instance needs a port of its own when metrics are on',
        `#   enabled: true`,
        `#   port: ${9464 + index}`,
        '',
      ];
      return { instance, serial_path: serialPath, yaml: lines.join('\n') };
    });
}
