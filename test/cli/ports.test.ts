import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('m2m-bridge ports (the built binary, on this machine: no modem attached)', () => {
  it('lists what it finds and says that no known modem was found, exit 0', async () => {
    const result = await runCli(['ports']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('No known modem found');
  });

  it('--json prints one snake_case object per port, none marked as an AT port', async () => {
    const result = await runCli(['ports', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const port of lines) {
      expect(Object.keys(port).sort()).toEqual([
        'by_id',
        'config_stub',
        'driver',
        'instance',
        'interface',
        'likely_at',
        'manufacturer',
        'modem',
        'path',
        'product',
        'product_id',
        'serial_number',
        'vendor_id',
      ]);
      expect(port.likely_at).toBe(false);
    }
    // Every tty the kernel backs with a device (what /sys says, independently of the command) is listed.
    const sysTtys = readdirSync('/sys/class/tty').filter((name) => existsSync(`/sys/class/tty/${name}/device`));
    expect(lines.map((port) => port.path).sort()).toEqual(
      expect.arrayContaining(sysTtys.map((name) => `/dev/${name}`)),
    );
  });

  it('rejects unknown flags with exit 2, and documents itself in --help', async () => {
    expect((await runCli(['ports', '--bogus'])).code).toBe(2);
    const help = await runCli(['ports', '--help']);
    expect(help.stdout).toContain('/dev/m2m-modem');
  });
});
