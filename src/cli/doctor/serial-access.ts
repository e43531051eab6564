import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { type CheckResult, fail, pass, warn } from './check.js';

/** systemd/m2m-bridge.service: User=m2m-bridge, Group=m2m-bridge, SupplementaryGroups=dialout. */
const SERVICE_USER = 'm2m-bridge';
const SERVICE_GROUPS = ['m2m-bridge', 'dialout'];

/** The unit's user as the kernel will see it: its uid, and the gids the unit gives it. */
export interface ServiceUser {
  name: string;
  uid: number;
  gids: number[];
}

export interface DeviceMode {
  /** st_mode (only the permission bits are used). */
  mode: number;
  uid: number;
  gid: number;
}

/** Read and write per the mode bits, as for any non-root user: owner bits, else group bits, else other bits. */
export function modeAllowsReadWrite(device: DeviceMode, user: ServiceUser): boolean {
  const bits =
    device.uid === user.uid
      ? (device.mode >> 6) & 7
      : user.gids.includes(device.gid)
        ? (device.mode >> 3) & 7
        : device.mode & 7;
  return (bits & 6) === 6;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8).padStart(3, '0')}`;

/**
 * What the read/write check can honestly say. A non-root user's access(2) answer binds. Root passes access(2) for
 * every device whatever its mode (CAP_DAC_OVERRIDE), so for root the answer says nothing about the daemon: judge the
 * mode bits for the systemd unit's user instead, when that user exists here.
 */
export function accessResult(
  real: string,
  access: { root: boolean; canReadWrite: boolean; device: DeviceMode; serviceUser: ServiceUser | null },
): CheckResult {
  const title = 'read/write access';
  if (!access.root) {
    return access.canReadWrite
      ? pass('serial.access', title, `this user can open ${real}`)
      : fail(
          'serial.access',
          title,
          `this user cannot read and write ${real} (mode ${octal(access.device.mode)})`,
          'add the user to the dialout group: sudo usermod -aG dialout $USER (then log in again)',
        );
  }
  if (!access.serviceUser)
    return pass(
      'serial.access',
      title,
      `root can open ${real} whatever its mode (${octal(access.device.mode)}); there is no ${SERVICE_USER} user here to check for`,
    );
  return modeAllowsReadWrite(access.device, access.serviceUser)
    ? pass('serial.access', title, `the daemon's user ${access.serviceUser.name} can open ${real}`)
    : warn(
        'serial.access',
        title,
        `root can open ${real}, but the daemon's user ${access.serviceUser.name} cannot (mode ${octal(access.device.mode)}, owner ${access.device.uid}, group ${access.device.gid})`,
        'install the udev rules from systemd/ (group dialout, mode 0660) or check the device permissions',
      );
}

function parseColonFile(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

/** The unit's user from /etc/passwd and /etc/group, or null when it does not exist on this machine. */
export async function lookUpServiceUser(etc = '/etc'): Promise<ServiceUser | null> {
  const passwd = parseColonFile(await readFile(`${etc}/passwd`, 'utf8').catch(() => ''));
  const entry = passwd.find((fields) => fields[0] === SERVICE_USER);
  if (!entry) return null;
  const groups = parseColonFile(await readFile(`${etc}/group`, 'utf8').catch(() => ''));
  const gids = groups.filter((fields) => SERVICE_GROUPS.includes(fields[0] ?? '')).map((fields) => Number(fields[2]));
  return { name: SERVICE_USER, uid: Number(entry[2]), gids: [...new Set([Number(entry[3]), ...gids])] };
}

export async function checkSerialAccess(real: string): Promise<CheckResult> {
  const info = await stat(real);
  const canReadWrite = await access(real, constants.R_OK | constants.W_OK).then(
    () => true,
    () => false,
  );
  const root = process.getuid?.() === 0;
  return accessResult(real, {
    root,
    canReadWrite,
    device: { mode: info.mode, uid: info.uid, gid: info.gid },
    serviceUser: root ? await lookUpServiceUser() : null,
  });
}
