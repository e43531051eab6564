import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { JournalError, openSqliteJournal } from '../../src/store/index.js';
import { readableCopy } from '../helpers/readable-copy.js';

const NOBODY = 65534;
const OPENER = 'test/store/fixtures/open-journal.mjs';

/**
 * Opens the journal as a user without write permission. Root ignores permission bits, so as root the check runs in
 * a child process as `nobody` (what the service user meets on a box where the directory belongs to root); as any
 * other user it runs in-process.
 */
function openAsUnprivileged(path: string): { ok: boolean; code?: string; message?: string } {
  if (process.getuid?.() === 0) {
    // nobody may not enter the checkout (a 0700 home directory): it runs a copy of the opener and the build.
    const build = readableCopy([OPENER]);
    onTestFinished(() => build.remove());
    const distStore = pathToFileURL(build.path('dist/src/store/index.js'));
    const child = spawnSync(process.execPath, [build.path(OPENER), distStore.href, path], {
      uid: NOBODY,
      gid: NOBODY,
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`opener failed: ${child.stderr}`);
    return JSON.parse(child.stdout);
  }
  try {
    openSqliteJournal({ path }).close();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

describe('SqliteJournal: permissions', () => {
  const root = mkdtempSync(join(tmpdir(), 'm2m-journal-perm-'));
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('says the directory is not writable when the service user cannot create the journal there', () => {
    const dir = join(root, 'locked');
    mkdirSync(dir, { mode: 0o555 });
    chmodSync(dir, 0o555);
    expect(openAsUnprivileged(join(dir, 'journal.db'))).toEqual({
      ok: false,
      code: 'not_writable',
      message: `journal ${join(dir, 'journal.db')}: directory ${dir} is not writable by this user`,
    });
  });

  it('says the file is not writable when the journal exists but belongs to someone else', () => {
    const dir = join(root, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const path = join(dir, 'journal.db');
    openSqliteJournal({ path }).close();
    chmodSync(path, 0o444);
    expect(openAsUnprivileged(path)).toMatchObject({
      ok: false,
      code: 'not_writable',
      message: expect.stringContaining('the file is not writable'),
    });
  });
});
