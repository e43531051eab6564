import { readFileSync, statSync } from 'node:fs';
import type { ConfigIssue } from './errors.js';

/**
 * Files the config names (secrets, TLS material) and the config file itself. A file any user can write is refused:
 * whoever can change it can change what the bridge trusts or who it logs in as. A secret any user can read is
 * allowed, with a warning for the caller to log.
 */

type FileRead = { ok: true; text: string; warning: string | null } | { ok: false; issue: ConfigIssue };

const mode = (bits: number) => `0${(bits & 0o777).toString(8)}`;

export function readGuardedFile(path: string, key: string | null, options: { secret: boolean }): FileRead {
  const fail = (message: string): FileRead => ({ ok: false, issue: { key, message, origin: null } });
  let bits: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) return fail(`${path} is not a regular file`);
    bits = stat.mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path} (${code ?? String(error)})`);
  }
  if (bits & 0o002) {
    return fail(`${path} is writable by every user (mode ${mode(bits)}); refusing it — run: chmod o-w ${path}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'EACCES' ? notReadable(path, bits) : `cannot read ${path} (${code ?? String(error)})`);
  }
  const warning =
    options.secret && bits & 0o004
      ? `${key === null ? '' : `${key}: `}${path} holds a secret and is readable by every user (mode ${mode(bits)}); run: chmod o-r ${path}`
      : null;
  return { ok: true, text, warning };
}

/** The name of group `gid` from /etc/group, or its number when it has none there. */
function groupName(gid: number): string {
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(gid));
    return line?.split(':')[0] || String(gid);
  } catch {
    return String(gid);
  }
}

/**
 * The access model (README, "Who may run what"): the config and secret files are 0640 root:m2m-bridge, so the daemon
 * and the technicians in its group read them and nobody else does. A user outside the group is told how to join it.
 */
function notReadable(path: string, bits: number): string {
  let gid: number;
  try {
    gid = statSync(path).gid;
  } catch {
    return `${path} is not readable by this user`;
  }
  const group = groupName(gid);
  const groupReads = (bits & 0o040) !== 0;
  return groupReads
    ? `${path} is not readable by this user (mode ${mode(bits)}, group ${group}): join the group — sudo usermod -aG ${group} $USER, then log in again — or use sudo`
    : `${path} is not readable by this user (mode ${mode(bits)}): use sudo, or make it 0640 with the group m2m-bridge`;
}

/** A secret file's content: one line, trailing newline dropped; empty is an error. */
export function readSecret(
  path: string,
  key: string,
): { value: string; warning: string | null } | { issue: ConfigIssue } {
  const read = readGuardedFile(path, key, { secret: true });
  if (!read.ok) return { issue: read.issue };
  const value = read.text.replace(/\r?\n$/, '');
  if (value.length === 0) return { issue: { key, message: `${path} is empty`, origin: null } };
  return { value, warning: read.warning };
}
