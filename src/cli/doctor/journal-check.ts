import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { JournalError, openSqliteJournal } from '../../store/index.js';
import { type CheckResult, fail, pass, warn } from './check.js';
import { lookUpServiceUser, modeAllowsReadWrite, type ServiceUser } from './serial-access.js';

/** The unit's StateDirectory=: systemd creates it (owned by the unit's user) when the service starts. */
const STATE_DIRECTORY = '/var/lib/m2m-bridge';
const TITLE = 'journal';

/** Whether the daemon's user may create files in `dir`: write and search bits, as the kernel checks them. */
function userMayWrite(mode: { mode: number; uid: number; gid: number }, user: ServiceUser): boolean {
  const bits =
    mode.uid === user.uid ? (mode.mode >> 6) & 7 : user.gids.includes(mode.gid) ? (mode.mode >> 3) & 7 : mode.mode & 7;
  return (bits & 3) === 3;
}

async function directoryResult(path: string, dir: string): Promise<CheckResult | null> {
  const info = await stat(dir).catch(() => null);
  if (info === null) {
    if (dir === STATE_DIRECTORY || dir.startsWith(`${STATE_DIRECTORY}/`))
      return warn(
        'store.journal',
        TITLE,
        `${dir} does not exist yet; systemd creates it when the unit starts (StateDirectory=)`,
        `running m2m-bridge run by hand before that exits 1: sudo systemctl start m2m-bridge first`,
      );
    return fail(
      'store.journal',
      TITLE,
      `directory ${dir} of store.path ${path} does not exist: m2m-bridge run exits 1 at start`,
      `create it for the daemon's user: sudo install -d -o m2m-bridge -g m2m-bridge -m 0750 ${dir}`,
    );
  }
  if (!info.isDirectory())
    return fail('store.journal', TITLE, `${dir} is not a directory`, 'point store.path into a directory');
  const root = process.getuid?.() === 0;
  const user = root ? await lookUpServiceUser() : null;
  const writable = user
    ? userMayWrite(info, user)
    : await access(dir, constants.W_OK | constants.X_OK).then(
        () => true,
        () => false,
      );
  if (!writable)
    return fail(
      'store.journal',
      TITLE,
      `${user ? `the daemon's user ${user.name}` : 'this user'} cannot create files in ${dir} (SQLite writes its -wal and -shm beside the journal)`,
      `sudo chown m2m-bridge:m2m-bridge ${dir} && sudo chmod 0750 ${dir}`,
    );
  return null;
}

/**
 * Checks the journal as `m2m-bridge run` will open it: its directory exists and the daemon's user can write there,
 * and an existing file is a sound journal of a version this build reads (SQLite's quick_check, which the daemon also
 * runs and refuses a damaged journal on, exit 65). Read-only: doctor never creates or changes the journal.
 */
export async function checkJournal(path: string): Promise<CheckResult> {
  const problem = await directoryResult(path, dirname(path));
  if (problem) return problem;
  const file = await stat(path).catch(() => null);
  if (file === null)
    return pass('store.journal', TITLE, `${path} not created yet: the daemon creates it at its first start`);
  const root = process.getuid?.() === 0;
  const user = root ? await lookUpServiceUser() : null;
  if (user && !modeAllowsReadWrite(file, user))
    return fail(
      'store.journal',
      TITLE,
      `the daemon's user ${user.name} cannot read and write ${path}`,
      `sudo chown m2m-bridge:m2m-bridge ${path}*`,
    );
  let journal: ReturnType<typeof openSqliteJournal> | undefined;
  try {
    journal = openSqliteJournal({ path, readonly: true, busyTimeoutMs: 2000 });
    const check = journal.quickCheck();
    if (check !== 'ok')
      return fail(
        'store.journal',
        TITLE,
        `${path} is damaged (quick_check: ${check.slice(0, 120)}): the daemon refuses it (exit 65)`,
        'see "A damaged journal" in the README: m2m-bridge journal salvage --from … --to …',
      );
    const kb = Math.round(file.size / 1024);
    return pass('store.journal', TITLE, `${path}: sound (quick_check ok), ${kb} KB`);
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    const hint =
      error.code === 'schema_too_new'
        ? 'written by a newer m2m-bridge: upgrade this one, or move the file away'
        : error.code === 'corrupt'
          ? 'see "A damaged journal" in the README: m2m-bridge journal salvage --from … --to …'
          : 'run doctor as root, or as the daemon user, to read it';
    return fail('store.journal', TITLE, `${error.message}: m2m-bridge run would refuse it`, hint);
  } finally {
    journal?.close();
  }
}
