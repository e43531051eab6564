import { constants } from 'node:fs';
import { access, readdir, readFile, readlink, realpath, stat } from 'node:fs/promises';
import { type CheckResult, fail, pass, skip, warn } from './check.js';

/** The device exists, is a character device, and this user may read and write it (group dialout on Debian). */
export async function checkSerialDevice(path: string): Promise<CheckResult[]> {
  if (path.startsWith('tcp://'))
    return [
      skip('serial.device', 'serial device', `${path} is a TCP serial server (ser2net); no local device to check`),
    ];
  const results: CheckResult[] = [];
  let real: string;
  try {
    real = await realpath(path);
    const info = await stat(real);
    if (!info.isCharacterDevice()) {
      return [
        fail(
          'serial.device',
          'serial device',
          `${path} is not a character device`,
          "point serial.path at the modem's AT port (see m2m-bridge ports)",
        ),
      ];
    }
  } catch {
    return [
      fail(
        'serial.device',
        'serial device',
        `${path} does not exist`,
        'is the modem plugged in? list ports with `m2m-bridge ports` and set serial.path',
      ),
    ];
  }
  results.push(pass('serial.device', 'serial device', real === path ? path : `${path} → ${real}`));
  try {
    await access(real, constants.R_OK | constants.W_OK);
    results.push(pass('serial.access', 'read/write access', `this user can open ${real}`));
  } catch {
    results.push(
      fail(
        'serial.access',
        'read/write access',
        `this user cannot read and write ${real}`,
        'add the user to the dialout group: sudo usermod -aG dialout $USER (then log in again)',
      ),
    );
  }
  if (/^\/dev\/tty(USB|ACM)\d+$/.test(path)) {
    results.push(
      warn(
        'serial.path',
        'stable device path',
        `${path} can change number when the modem re-enumerates`,
        'use the /dev/serial/by-id/… path (m2m-bridge ports shows it) or the udev symlink /dev/m2m-modem',
      ),
    );
  }
  return results;
}

interface Holder {
  pid: number;
  name: string;
}

/** Processes with the device open, from /proc/<pid>/fd (only those this user may inspect). */
async function holdersOf(device: string): Promise<Holder[]> {
  const holders: Holder[] = [];
  let pids: string[] = [];
  try {
    pids = (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  } catch {
    return holders;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = await readdir(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if ((await readlink(`/proc/${pid}/fd/${fd}`)) === device) {
          const name = (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
          holders.push({ pid: Number(pid), name });
          break;
        }
      } catch {
        // the process ended, or the fd closed, meanwhile
      }
    }
  }
  return holders;
}

async function modemManagerRunning(): Promise<boolean> {
  try {
    for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
      try {
        if ((await readFile(`/proc/${pid}/comm`, 'utf8')).trim() === 'ModemManager') return true;
      } catch {
        // gone
      }
    }
  } catch {
    // no /proc
  }
  return false;
}

/**
 * Who else has the port: another program on it garbles the AT dialogue (FACTS.md: ModemManager grabs USB modem ports
 * unless udev sets ID_MM_DEVICE_IGNORE=1). `daemonPids` are ours and expected.
 */
export async function checkPortHolders(path: string, daemonRunning: boolean): Promise<CheckResult[]> {
  if (path.startsWith('tcp://')) return [];
  const results: CheckResult[] = [];
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return results;
  }
  if (real.startsWith('/dev/pts/')) {
    // A pseudo-terminal (the simulator, or a socat/ser2net-style bridge) is always held by the program that made it.
    results.push(
      pass('serial.holders', 'port not held by others', `${real} is a pseudo-terminal; its creator holds it by design`),
    );
    return results.concat(await modemManagerResult());
  }
  const holders = await holdersOf(real);
  const others = holders.filter((h) => !(daemonRunning && h.name.startsWith('node')) && h.name !== 'm2m-bridge');
  if (others.length === 0) {
    results.push(
      pass(
        'serial.holders',
        'port not held by others',
        holders.length
          ? `held by the daemon (pid ${holders.map((h) => h.pid).join(', ')})`
          : 'no other process has it open',
      ),
    );
  } else {
    const list = others.map((h) => `${h.name} (pid ${h.pid})`).join(', ');
    results.push(
      fail(
        'serial.holders',
        'port not held by others',
        `open in ${list}`,
        "stop that program; two programs on one AT port corrupt each other's commands",
      ),
    );
  }
  return results.concat(await modemManagerResult());
}

async function modemManagerResult(): Promise<CheckResult[]> {
  if (!(await modemManagerRunning())) return [];
  return [
    warn(
      'modemmanager',
      'ModemManager',
      "ModemManager is running and may probe the modem's ports",
      'install the udev rules from systemd/ (they set ID_MM_DEVICE_IGNORE=1) or: sudo systemctl disable --now ModemManager',
    ),
  ];
}
