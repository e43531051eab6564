import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describePorts, formatPorts, type PortsInput, type SysfsTty } from '../../../src/cli/ports/describe.js';
import { readById, readSysfs } from '../../../src/cli/ports/scan.js';

/** A Quectel EC25 on a Raspberry Pi 4 as /sys shows it: ttyUSB0..3 on interfaces 00..03 of 2c7c:0125. */
function ec25Tty(n: number): SysfsTty {
  const usbDevice = '/sys/devices/platform/scb/fd500000.pcie/pci0000:00/0000:00:00.0/0000:01:00.0/usb1/1-1/1-1.3';
  const iface = `${usbDevice}/1-1.3:1.${n}`;
  return {
    name: `ttyUSB${n}`,
    devicePath: `${iface}/ttyUSB${n}`,
    driver: 'option',
    ancestors: [
      { path: `${iface}/ttyUSB${n}`, attrs: {} },
      { path: iface, attrs: { bInterfaceNumber: `0${n}` } },
      {
        path: usbDevice,
        attrs: {
          idVendor: '2c7c',
          idProduct: '0125',
          manufacturer: 'Quectel',
          product: 'EC25',
          serial: '0123456789ABCDEF',
        },
      },
    ],
  };
}

const ec25: PortsInput = {
  listed: [0, 1, 2, 3].map((n) => ({
    path: `/dev/ttyUSB${n}`,
    manufacturer: 'Quectel',
    vendorId: '2c7c',
    productId: '0125',
    pnpId: `usb-Quectel_EC25_0123456789ABCDEF-if0${n}-port0`,
  })),
  sysfs: new Map([0, 1, 2, 3].map((n) => [`ttyUSB${n}`, ec25Tty(n)])),
  byId: new Map(
    [0, 1, 2, 3].map((n) => [`/dev/serial/by-id/usb-Quectel_EC25_0123456789ABCDEF-if0${n}-port0`, `/dev/ttyUSB${n}`]),
  ),
};

describe('describePorts (pure)', () => {
  it('marks interface 02 of a Quectel EC25 as the AT port, with by-id path and USB identity', () => {
    const reports = describePorts(ec25);
    expect(reports.map((r) => r.likely_at)).toEqual([false, false, true, false]);
    expect(reports[2]).toEqual({
      path: '/dev/ttyUSB2',
      by_id: '/dev/serial/by-id/usb-Quectel_EC25_0123456789ABCDEF-if02-port0',
      vendor_id: '2c7c',
      product_id: '0125',
      manufacturer: 'Quectel',
      product: 'EC25',
      serial_number: '0123456789ABCDEF',
      interface: '02',
      driver: 'option',
      modem: 'Quectel EC25 / EG25-G',
      likely_at: true,
    });
    const text = formatPorts(reports).join('\n');
    expect(text).toContain('/dev/ttyUSB2  USB 2c7c:0125 interface 02  <- AT port');
    expect(text).toContain(
      'AT port of Quectel EC25 / EG25-G: /dev/serial/by-id/usb-Quectel_EC25_0123456789ABCDEF-if02-port0',
    );
  });

  it('finds a USB tty that serialport did not list (no udev database), and reads a u-blox ttyACM on interface 00', () => {
    const acm: SysfsTty = {
      name: 'ttyACM0',
      devicePath: '/sys/devices/x/usb1/1-1/1-1:1.0',
      driver: 'cdc_acm',
      ancestors: [
        { path: '/sys/devices/x/usb1/1-1/1-1:1.0', attrs: { bInterfaceNumber: '00' } },
        { path: '/sys/devices/x/usb1/1-1', attrs: { idVendor: '1546', idProduct: '1102', manufacturer: 'u-blox AG' } },
      ],
    };
    const [report] = describePorts({ listed: [], sysfs: new Map([['ttyACM0', acm]]), byId: new Map() });
    expect(report).toMatchObject({
      path: '/dev/ttyACM0',
      modem: 'u-blox SARA-U2 / LISA-U2',
      likely_at: true,
      by_id: null,
    });
  });

  it('takes vendor/product from serialport when /sys has nothing, in any case and with 0x', () => {
    const [report] = describePorts({
      listed: [{ path: '/dev/ttyUSB7', vendorId: '0x1E0E', productId: '9001', manufacturer: 'SimTech, Incorporated' }],
      sysfs: new Map(),
      byId: new Map(),
    });
    // Without the interface number the AT port cannot be told apart: the modem is named, the port not marked.
    expect(report).toMatchObject({
      vendor_id: '1e0e',
      product_id: '9001',
      modem: 'SIMCom SIM7600 / SIM7000 / SIM7100',
      likely_at: false,
    });
  });

  it('says no known modem was found for a gateway with only its on-board UART', () => {
    const reports = describePorts({ listed: [{ path: '/dev/ttyS0' }], sysfs: new Map(), byId: new Map() });
    expect(reports).toEqual([
      expect.objectContaining({ path: '/dev/ttyS0', vendor_id: null, likely_at: false, modem: null }),
    ]);
    expect(formatPorts(reports).join('\n')).toMatch(/\/dev\/ttyS0 {2}not USB[\s\S]*No known modem found/);
    expect(formatPorts([])[0]).toBe('No serial ports found.');
  });
});

describe('describePorts when serialport cannot list (no udevadm)', () => {
  it('lists every device-backed tty /sys knows, the on-board UART too; with a listing only the USB ones are added', () => {
    const uart = {
      name: 'ttyS0',
      devicePath: '/sys/devices/platform/serial8250/tty/ttyS0',
      driver: 'serial8250',
      ancestors: [],
    };
    const sysfs = new Map([['ttyS0', uart]]);
    expect(describePorts({ listed: [], sysfs, byId: new Map(), listFailed: true }).map((r) => r.path)).toEqual([
      '/dev/ttyS0',
    ]);
    // serialport listed (udev knows the ports): a non-USB tty it left out is not second-guessed.
    expect(describePorts({ listed: [], sysfs, byId: new Map(), listFailed: false })).toEqual([]);
  });
});

describe('readSysfs / readById (a /sys and /dev tree on disk)', () => {
  const root = mkdtempSync(join(tmpdir(), 'm2m-sysfs-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('walks from /sys/class/tty/<name>/device up to the USB device and resolves by-id links', () => {
    const usb = join(root, 'sys/devices/pci0000:00/usb1/1-1');
    const iface = join(usb, '1-1:1.3');
    mkdirSync(join(iface, 'ttyUSB3'), { recursive: true });
    mkdirSync(join(root, 'sys/bus/usb-serial/drivers/qcserial'), { recursive: true });
    symlinkSync(join(root, 'sys/bus/usb-serial/drivers/qcserial'), join(iface, 'ttyUSB3', 'driver'));
    writeFileSync(join(iface, 'bInterfaceNumber'), '03\n');
    writeFileSync(join(usb, 'idVendor'), '1199\n');
    writeFileSync(join(usb, 'idProduct'), '9071\n');
    writeFileSync(join(usb, 'manufacturer'), 'Sierra Wireless, Incorporated\n');
    mkdirSync(join(root, 'sys/class/tty/ttyUSB3'), { recursive: true });
    symlinkSync(join(iface, 'ttyUSB3'), join(root, 'sys/class/tty/ttyUSB3/device'));
    mkdirSync(join(root, 'sys/class/tty/tty1'), { recursive: true }); // a console: no device link, not listed
    mkdirSync(join(root, 'dev/serial/by-id'), { recursive: true });
    symlinkSync('../../ttyUSB3', join(root, 'dev/serial/by-id/usb-Sierra_Wireless_MC7455-if03-port0'));

    const sysfs = readSysfs(join(root, 'sys'));
    expect([...sysfs.keys()]).toEqual(['ttyUSB3']);
    const byId = readById(join(root, 'dev/serial/by-id'));
    expect([...byId.values()]).toEqual([join(root, 'dev/ttyUSB3')]);
    const [report] = describePorts({ listed: [{ path: join(root, 'dev/ttyUSB3') }], sysfs, byId });
    expect(report).toMatchObject({
      interface: '03',
      driver: 'qcserial',
      manufacturer: 'Sierra Wireless, Incorporated',
      modem: 'Sierra Wireless MC74xx (MC7455, MC7430)',
      likely_at: true,
      by_id: join(root, 'dev/serial/by-id/usb-Sierra_Wireless_MC7455-if03-port0'),
    });
  });

  it('returns nothing (not an error) where /sys/class/tty or /dev/serial/by-id do not exist', () => {
    expect(readSysfs(join(root, 'nowhere')).size).toBe(0);
    expect(readById(join(root, 'nowhere')).size).toBe(0);
  });
});
