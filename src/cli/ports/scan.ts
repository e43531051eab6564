import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ListedPort, PortsInput, SysfsTty } from './describe.js';

/** The USB attributes `m2m-bridge ports` reads from each ancestor directory in /sys. */
const ATTRS = ['bInterfaceNumber', 'idVendor', 'idProduct', 'manufacturer', 'product', 'serial'];

function readAttr(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** /sys/class/tty/<name>: the device it hangs off, its driver, and the USB attributes of its ancestors. */
function readSysfsTty(sysRoot: string, name: string): SysfsTty {
  const link = join(sysRoot, 'class', 'tty', name, 'device');
  let devicePath: string | null = null;
  try {
    devicePath = realpathSync(link);
  } catch {
    return { name, devicePath: null, driver: null, ancestors: [] };
  }
  let driver: string | null = null;
  try {
    driver = basename(readlinkSync(join(devicePath, 'driver')));
  } catch {}
  const ancestors: SysfsTty['ancestors'] = [];
  const stop = resolve(sysRoot, 'devices');
  for (let dir = devicePath; dir.startsWith(stop) && dir !== stop; dir = dirname(dir)) {
    const attrs: Record<string, string> = {};
    for (const attr of ATTRS) {
      const value = readAttr(dir, attr);
      if (value !== undefined) attrs[attr] = value;
    }
    ancestors.push({ path: dir, attrs });
  }
  return { name, devicePath, driver, ancestors };
}

/** Every tty in /sys/class/tty that is backed by a device (virtual consoles and ptys have no `device`). */
export function readSysfs(sysRoot = '/sys'): Map<string, SysfsTty> {
  const result = new Map<string, SysfsTty>();
  let names: string[] = [];
  try {
    names = readdirSync(join(sysRoot, 'class', 'tty'));
  } catch {
    return result;
  }
  for (const name of names) {
    if (!existsSync(join(sysRoot, 'class', 'tty', name, 'device'))) continue;
    result.set(name, readSysfsTty(sysRoot, name));
  }
  return result;
}

/** /dev/serial/by-id: udev's stable names (60-serial.rules), link → target device path. */
export function readById(dir = '/dev/serial/by-id'): Map<string, string> {
  const links = new Map<string, string>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return links;
  }
  for (const name of names) {
    try {
      links.set(join(dir, name), resolve(dir, readlinkSync(join(dir, name))));
    } catch {}
  }
  return links;
}

/** serialport's list (through udev's database); an error there is reported and /sys is used alone. */
async function listSerialPorts(): Promise<{ listed: ListedPort[]; warning: string | null }> {
  try {
    const { SerialPort } = await import('serialport');
    return { listed: await SerialPort.list(), warning: null };
  } catch (error) {
    return { listed: [], warning: `serialport could not list ports (${(error as Error).message}); using /sys only` };
  }
}

export async function scanPorts(): Promise<{ input: PortsInput; warning: string | null }> {
  const { listed, warning } = await listSerialPorts();
  return { input: { listed, sysfs: readSysfs(), byId: readById(), listFailed: warning !== null }, warning };
}
