import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOWN_MODEMS } from '../../src/cli/ports/known-modems.js';
import { evaluate, type FakeDevice, parseRules } from './udev-rules.js';

const rulesPath = fileURLToPath(new URL('../../systemd/99-m2m-bridge.rules', import.meta.url));
const text = readFileSync(rulesPath, 'utf8');
const rules = parseRules(text);

/** A tty on interface `ifnum` of a USB device, as the kernel presents a port of a composite modem. */
function port(vendor: string, product: string, ifnum: string, subsystem = 'tty'): FakeDevice {
  return {
    action: 'add',
    subsystem,
    parents: [
      { subsystem: 'usb', attrs: { bInterfaceNumber: ifnum, bInterfaceClass: 'ff' } },
      { subsystem: 'usb', attrs: { idVendor: vendor, idProduct: product, manufacturer: 'x' } },
    ],
  };
}

describe('systemd/99-m2m-bridge.rules', () => {
  it('parses: every line is a known key with a valid operator, every GOTO has its LABEL', () => {
    expect(rules.length).toBeGreaterThan(KNOWN_MODEMS.length * 2);
  });

  it('rejects what udev would reject (the parser is not a yes-machine)', () => {
    expect(() => parseRules('ATTRS{idVendor}=="2c7c", SYMLINK+="x"')).not.toThrow();
    // The classic mistake: one `=` is an assignment, and udev ignores an ATTRS assignment with an error.
    expect(() => parseRules('ATTRS{idVendor}="2c7c", SYMLINK+="x"')).toThrow(/cannot be assigned/);
    expect(() => parseRules('SYMLINK=="x"')).toThrow(/cannot be matched/);
    expect(() => parseRules('ATTRS{idVendor}=="2c7c" SYMLINK+="x"')).toThrow(/cannot parse/);
    expect(() => parseRules('ATTRS{idVendor}=="2c7c", GOTO="nowhere"')).toThrow(/unknown label/);
    expect(() => parseRules('ATTRS{idVendor}==2c7c')).toThrow(/cannot parse/);
  });

  it.each(KNOWN_MODEMS.map((m) => [m.name, m] as const))(
    '%s: /dev/m2m-modem on the AT interface only, all ports ignored by ModemManager',
    (_, modem) => {
      const ifnums = ['00', '01', '02', '03', '04', '05', '06', '08'];
      for (const ifnum of ifnums) {
        const outcome = evaluate(rules, port(modem.vendorId, modem.productId, ifnum));
        expect(outcome.env.ID_MM_DEVICE_IGNORE, `${modem.name} if ${ifnum}`).toBe('1');
        if (ifnum === modem.atInterface) {
          expect(outcome.symlinks, `${modem.name} if ${ifnum}`).toEqual(['m2m-modem']);
          // Without the usb_id/path_id properties (not from 60-serial.rules) there is no per-modem name to give.
          expect(outcome.tags).toContain('systemd');
        } else expect(outcome.symlinks, `${modem.name} if ${ifnum}`).toEqual([]);
      }
      // The network interface of the same modem (qmi_wwan, cdc_ether) is ignored by ModemManager too, never linked.
      const net = evaluate(rules, port(modem.vendorId, modem.productId, modem.atInterface, 'net'));
      expect(net.env.ID_MM_DEVICE_IGNORE).toBe('1');
      expect(net.symlinks).toEqual([]);
    },
  );

  it('evaluates parent keys as udev does: the walk starts at the tty itself, so SUBSYSTEMS!="usb" holds there', () => {
    const trap = parseRules('SUBSYSTEMS!="usb", GOTO="end"\nSYMLINK+="reached"\nLABEL="end"');
    expect(evaluate(trap, port('2c7c', '0125', '02')).symlinks).toEqual([]);
    // All ATTRS of one rule must hold on the same node: vendor (USB device) + interface number (interface) never do.
    const split = parseRules('ATTRS{idVendor}=="2c7c", ATTRS{bInterfaceNumber}=="02", SYMLINK+="never"');
    expect(evaluate(split, port('2c7c', '0125', '02')).symlinks).toEqual([]);
  });

  it('leaves other USB serial devices alone (an FTDI adapter, a Huawei stick)', () => {
    for (const [vendor, product] of [
      ['0403', '6001'],
      ['12d1', '1506'],
    ] as const) {
      const outcome = evaluate(rules, port(vendor, product, '02'));
      expect(outcome).toEqual({ env: { '.M2M_IFNUM': '02' }, symlinks: [], tags: [] });
    }
  });

  it('does nothing on remove events and for non-USB ttys', () => {
    const modem = KNOWN_MODEMS[0]!;
    expect(
      evaluate(rules, { ...port(modem.vendorId, modem.productId, modem.atInterface), action: 'remove' }).symlinks,
    ).toEqual([]);
    expect(
      evaluate(rules, { action: 'add', subsystem: 'tty', parents: [{ subsystem: 'platform', attrs: {} }] }),
    ).toEqual({
      env: {},
      symlinks: [],
      tags: [],
    });
  });

  it('has exactly one symlink rule per known modem, and no modem the table does not know', () => {
    const linked = rules
      .filter((r) => r.keys.some((k) => k.key === 'SYMLINK') && r.keys.some((k) => k.attr === 'idVendor'))
      .map((r) => {
        const get = (attr: string) => r.keys.find((k) => k.attr === attr)?.value;
        return `${get('idVendor')}:${get('idProduct')}@${get('.M2M_IFNUM')}`;
      })
      .sort();
    expect(linked).toEqual(KNOWN_MODEMS.map((m) => `${m.vendorId}:${m.productId}@${m.atInterface}`).sort());
  });

  it('gives each modem’s AT port its own names by USB serial number and by USB port, and only the AT port', () => {
    const modem = KNOWN_MODEMS[0]!;
    const plugged = (serial: string, pathTag: string, ifnum = modem.atInterface) =>
      evaluate(rules, {
        ...port(modem.vendorId, modem.productId, ifnum),
        env: { ID_SERIAL_SHORT: serial, ID_PATH_TAG: pathTag },
      }).symlinks;
    const one = plugged('0123456789ABCDEF', 'platform-fd500000_pcie-pci-0000_01_00_0-usb-0_1_2_1_2');
    const two = plugged('FEDCBA9876543210', 'platform-fd500000_pcie-pci-0000_01_00_0-usb-0_1_3_1_2');
    expect(one).toEqual([
      'm2m-modem',
      'm2m/by-serial/0123456789ABCDEF',
      'm2m/by-path/platform-fd500000_pcie-pci-0000_01_00_0-usb-0_1_2_1_2',
    ]);
    expect(two.filter((link) => link.startsWith('m2m/'))).not.toEqual(expect.arrayContaining(one.slice(1)));
    // The modem's other ports (diagnostics, NMEA) get none of them.
    const other = modem.atInterface === '00' ? '01' : '00';
    expect(plugged('0123456789ABCDEF', 'x', other)).toEqual([]);
    // A modem without a serial number still gets its port name.
    expect(plugged('', 'platform-x-usb-0_1_4_1_2')).toEqual(['m2m-modem', 'm2m/by-path/platform-x-usb-0_1_4_1_2']);
  });

  it('cites a source for every modem it names', () => {
    for (const modem of KNOWN_MODEMS) expect(text).toContain(modem.source);
  });

  it('passes `udevadm verify` where udevadm has it (systemd ≥ 253), else is checked by the parser above', () => {
    const probe = spawnSync('udevadm', ['verify', '--help'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const verify = spawnSync('udevadm', ['verify', rulesPath], { encoding: 'utf8' });
      expect(verify.status, verify.stderr).toBe(0);
    } else {
      // systemd 252 (Debian 12): no verify verb. Our udev(7) parser must then account for every rule line of the file
      // (a line it skipped would be one nobody checked), each with at least one match or assignment.
      const ruleLines = text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
      expect(rules).toHaveLength(ruleLines.length);
      for (const rule of rules) expect(rule.keys.length).toBeGreaterThan(0);
    }
  });
});
