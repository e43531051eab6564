import { findKnownModem, type KnownModem, normaliseHex } from './known-modems.js';

/**
 * Pure part of `m2m-bridge ports`: from what serialport's `SerialPort.list()`, /sys and /dev/serial/by-id say about
 * the serial ports, one report per port with its USB identity and whether it is the AT port of a known modem.
 */

/** One entry of serialport's `SerialPort.list()` (@serialport/bindings-interface PortInfo). */
export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  pnpId?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/**
 * What /sys says about one tty: `devicePath` is the resolved /sys/class/tty/<name>/device, and `ancestors` the
 * attributes read from it and each parent directory up to /sys/devices, nearest first (path → attribute → value).
 */
export interface SysfsTty {
  name: string;
  devicePath: string | null;
  driver: string | null;
  ancestors: { path: string; attrs: Record<string, string> }[];
}

export interface PortReport {
  path: string;
  by_id: string | null;
  vendor_id: string | null;
  product_id: string | null;
  manufacturer: string | null;
  product: string | null;
  serial_number: string | null;
  /** bInterfaceNumber of the USB interface the port belongs to (two hex digits), null for non-USB ports. */
  interface: string | null;
  driver: string | null;
  /** The known modem this port belongs to (src/cli/ports/known-modems.ts), or null. */
  modem: string | null;
  /** This is the AT port of that modem (the one /dev/m2m-modem points to with systemd/99-m2m-bridge.rules). */
  likely_at: boolean;
}

export interface PortsInput {
  listed: ListedPort[];
  /** Keyed by tty name (`ttyUSB2`). */
  sysfs: Map<string, SysfsTty>;
  /** /dev/serial/by-id links: link path → the device it points to (`/dev/ttyUSB2`). */
  byId: Map<string, string>;
  /** serialport could not list (no udevadm: a container, a minimal image); then /sys alone says what there is. */
  listFailed?: boolean;
}

const clean = (value: string | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** The nearest ancestor attribute: the USB interface carries bInterfaceNumber, the USB device idVendor & co. */
function nearest(tty: SysfsTty | undefined, attr: string): string | null {
  for (const ancestor of tty?.ancestors ?? []) {
    const value = clean(ancestor.attrs[attr]);
    if (value !== null) return value;
  }
  return null;
}

function ttyName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function describePort(port: ListedPort, input: PortsInput): PortReport {
  const tty = input.sysfs.get(ttyName(port.path));
  const vendorRaw = nearest(tty, 'idVendor') ?? clean(port.vendorId);
  const productRaw = nearest(tty, 'idProduct') ?? clean(port.productId);
  const vendorId = vendorRaw === null ? null : normaliseHex(vendorRaw, 4);
  const productId = productRaw === null ? null : normaliseHex(productRaw, 4);
  const ifRaw = nearest(tty, 'bInterfaceNumber');
  const iface = ifRaw === null ? null : normaliseHex(ifRaw, 2);
  const known: KnownModem | undefined =
    vendorId !== null && productId !== null ? findKnownModem(vendorId, productId) : undefined;
  const byId = [...input.byId.entries()]
    .filter(([, target]) => target === port.path)
    .map(([link]) => link)
    .sort();
  return {
    path: port.path,
    by_id: byId[0] ?? null,
    vendor_id: vendorId,
    product_id: productId,
    manufacturer: nearest(tty, 'manufacturer') ?? clean(port.manufacturer),
    product: nearest(tty, 'product'),
    serial_number: nearest(tty, 'serial') ?? clean(port.serialNumber),
    interface: iface,
    driver: tty?.driver ?? null,
    modem: known?.name ?? null,
    likely_at: known !== undefined && iface === known.atInterface,
  };
}

/**
 * Every port serialport listed plus every USB tty /sys knows that it did not (serialport lists through udev's
 * database, which a container or an initramfs may lack), sorted by path. When serialport could not list at all, every
 * tty the kernel backs with a device is listed, on-board UARTs (ttyS, ttyAMA) too: one of them may be the modem.
 */
export function describePorts(input: PortsInput): PortReport[] {
  // Keyed by tty name: serialport may list a port under another directory than /dev (a chroot, a test tree).
  const ports = new Map<string, ListedPort>();
  for (const port of input.listed) ports.set(ttyName(port.path), port);
  for (const tty of input.sysfs.values()) {
    if (ports.has(tty.name)) continue;
    if (input.listFailed || nearest(tty, 'idVendor') !== null) ports.set(tty.name, { path: `/dev/${tty.name}` });
  }
  return [...ports.values()].map((port) => describePort(port, input)).sort((a, b) => a.path.localeCompare(b.path));
}

/** Human-readable lines: one block per port, the AT port of a known modem marked, and a final verdict. */
export function formatPorts(reports: PortReport[]): string[] {
  const lines: string[] = [];
  if (reports.length === 0) lines.push('No serial ports found.');
  for (const r of reports) {
    const usb = r.vendor_id
      ? `USB ${r.vendor_id}:${r.product_id}${r.interface ? ` interface ${r.interface}` : ''}`
      : 'not USB';
    const mark = r.likely_at ? '  <- AT port' : '';
    lines.push(`${r.path}  ${usb}${mark}`);
    const who = [r.manufacturer, r.product].filter(Boolean).join(' ');
    if (who) lines.push(`    ${who}${r.serial_number ? ` (serial ${r.serial_number})` : ''}`);
    if (r.modem) lines.push(`    known modem: ${r.modem}${r.likely_at ? ' — use this port for serial.path' : ''}`);
    if (r.by_id) lines.push(`    by-id: ${r.by_id}`);
    if (r.driver) lines.push(`    driver: ${r.driver}`);
  }
  const at = reports.filter((r) => r.likely_at);
  lines.push('');
  if (at.length === 0) {
    lines.push('No known modem found. A modem that is not in the table may still be one of the ports above:');
    lines.push('try `m2m-bridge at --port <path>` and type AT.');
  } else {
    for (const r of at) lines.push(`AT port of ${r.modem}: ${r.by_id ?? r.path}`);
  }
  return lines;
}
