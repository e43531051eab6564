import { realpath, stat } from 'node:fs/promises';
import { type Holder, modemManagerRunning, portUse } from '../../util/proc-holders.js';
import { type CheckResult, fail, pass, skip, warn } from './check.js';
import { checkSerialAccess } from './serial-access.js';

/** The device exists, is a character device, and may be read and written (group dialout on Debian). */
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
  results.push(await checkSerialAccess(real));
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

/**
 * Who else has the port: another program on it garbles the AT dialogue (FACTS.md: ModemManager grabs USB modem ports
 * unless udev sets ID_MM_DEVICE_IGNORE=1). Expected holders: the daemon, and for a pseudo-terminal its creator (the
 * process on the master side: socat, ser2net, the simulator) and the program that creator relays for (its parent:
 * `m2m-bridge simulate` feeds socat's stdio and keeps the slave open so the pty never hangs up).
 */
export async function checkPortHolders(path: string, daemonRunning: boolean): Promise<CheckResult[]> {
  if (path.startsWith('tcp://')) return [];
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return [];
  }
  const use = await portUse(real, process.pid);
  const relays = new Set(use.ptyCreators.flatMap((creator) => [creator.pid, creator.ppid]));
  // The daemon runs as `node …/cli.js run` (comm "node") or a packaged m2m-bridge binary.
  const isDaemon = (h: Holder) => h.name === 'm2m-bridge' || (daemonRunning && h.name.startsWith('node'));
  const others = use.holders.filter((h) => !relays.has(h.pid) && !isDaemon(h));
  const results: CheckResult[] = [];
  if (others.length === 0) {
    const daemon = use.holders.filter((h) => !relays.has(h.pid) && isDaemon(h));
    const parts = [
      daemon.length ? `held by the daemon (pid ${daemon.map((h) => h.pid).join(', ')})` : '',
      use.ptyCreators.length
        ? `a pseudo-terminal created by ${use.ptyCreators.map((h) => `${h.name} (pid ${h.pid})`).join(', ')}`
        : '',
    ].filter(Boolean);
    const unseen = process.getuid?.() === 0 ? '' : " (other users' processes are hidden: run as root to see them)";
    results.push(
      pass(
        'serial.holders',
        'port not held by others',
        `${parts.length ? parts.join('; ') : 'no other process has it open'}${unseen}`,
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
