import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePorts, type PortsInput, type SysfsTty } from '../../../src/cli/ports/describe.js';
import { configStubs } from '../../../src/cli/ports/stubs.js';
import { runCli } from '../../helpers/cli.js';

/** Two Quectel EC25 on one gateway (a dual-modem router): ttyUSB0..3 and ttyUSB4..7, different serial numbers. */
function twoEc25(): PortsInput {
  const sysfs = new Map<string, SysfsTty>();
  const byId = new Map<string, string>();
  const listed: PortsInput['listed'] = [];
  for (const [modem, serial] of [
    [0, '0123456789ABCDEF'],
    [1, 'FEDCBA9876543210'],
  ] as const) {
    const usb = `/sys/devices/platform/usb1/1-1/1-1.${modem + 2}`;
    for (let i = 0; i < 4; i++) {
      const n = modem * 4 + i;
      sysfs.set(`ttyUSB${n}`, {
        name: `ttyUSB${n}`,
        devicePath: `${usb}:1.${i}/ttyUSB${n}`,
        driver: 'option',
        ancestors: [
          { path: `${usb}:1.${i}`, attrs: { bInterfaceNumber: `0${i}` } },
          {
            path: usb,
            attrs: { idVendor: '2c7c', idProduct: '0125', manufacturer: 'Quectel', product: 'EC25', serial },
          },
        ],
      });
      byId.set(`/dev/serial/by-id/usb-Quectel_EC25_${serial}-if0${i}-port0`, `/dev/ttyUSB${n}`);
      listed.push({ path: `/dev/ttyUSB${n}` });
    }
  }
  return { listed, sysfs, byId };
}

const dir = mkdtempSync(join(tmpdir(), 'm2m-stubs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('m2m-bridge ports: a config stub per modem', () => {
  const stubs = configStubs(describePorts(twoEc25()));

  it('gives each modem’s AT port (interface 02) its own stub, by its /dev/serial/by-id path, never ttyUSBn', () => {
    expect(stubs.map((s) => [s.instance, s.serial_path])).toEqual([
      ['lte1', '/dev/serial/by-id/usb-Quectel_EC25_0123456789ABCDEF-if02-port0'],
      ['lte2', '/dev/serial/by-id/usb-Quectel_EC25_FEDCBA9876543210-if02-port0'],
    ]);
    for (const stub of stubs) expect(stub.yaml).not.toMatch(/ttyUSB\d/);
    expect(stubs[0]!.yaml).toContain('m2m-bridge@lte1');
  });

  it('each stub is a valid config as written: config check --instance loads it with the instance defaults', async () => {
    for (const stub of stubs) {
      writeFileSync(join(dir, `${stub.instance}.yaml`), stub.yaml, { mode: 0o600 });
      const result = await runCli(['config', 'check', '--instance', stub.instance, '--print', '--json'], {
        env: { M2M_BRIDGE_CONFIG_DIR: dir },
      });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const { status, config } = JSON.parse(result.stdout);
      expect(status).toBe('ok');
      expect(config).toMatchObject({
        instance: { name: stub.instance },
        serial: { path: stub.serial_path },
        mqtt: { base_topic: `m2m/${stub.instance}` },
        store: { path: `/var/lib/m2m-bridge/${stub.instance}/journal.db` },
      });
      expect(config.mqtt.client_id).toMatch(new RegExp(`-${stub.instance}$`));
    }
  });

  it('a port without a by-id link gets its path and a comment saying why that is fragile', () => {
    const input = twoEc25();
    input.byId.clear();
    const [first] = configStubs(describePorts(input));
    expect(first!.serial_path).toBe('/dev/ttyUSB2');
    expect(first!.yaml).toMatch(/No \/dev\/serial\/by-id link for \/dev\/ttyUSB2/);
  });
});
