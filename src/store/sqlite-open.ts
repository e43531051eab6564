import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { JournalError, toJournalError } from './errors.js';
import { migrate, refuseNewerSchema } from './schema.js';
import { ensureIncrementalVacuum } from './sqlite-housekeeping.js';
import { SqliteJournal, type SqliteJournalOptions } from './sqlite-journal.js';

// Opening the journal file: where it may live, the durability pragmas, the start-up check and the migrations. Kept
// apart from the journal's operations (sqlite-journal.ts), which start from an open, checked, migrated handle.
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Fails early with a sentence about the directory instead of SQLite's bare "unable to open database file". */
function checkLocation(path: string, readonly: boolean): void {
  const dir = dirname(resolve(path));
  let dirStat: ReturnType<typeof statSync>;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new JournalError('not_writable', `journal ${path}: directory ${dir} does not exist`);
  }
  if (!dirStat.isDirectory()) throw new JournalError('not_writable', `journal ${path}: ${dir} is not a directory`);
  try {
    const fileStat = statSync(path);
    if (!fileStat.isFile()) throw new JournalError('not_writable', `journal ${path}: exists but is not a regular file`);
    // A journal file cut short (power loss, a bad SD card) that SQLite would silently take for a new, empty one: under
    // its 100-byte header, or empty beside a WAL holding commits (SQLite deletes such a WAL; a WAL-mode file is never
    // empty, its first page is written when WAL mode is set). Found by test/faults/journal-cut.test.ts.
    if (fileStat.size > 0 && fileStat.size < 100)
      throw new JournalError('corrupt', `journal ${path}: only ${fileStat.size} bytes, cut short (not a journal file)`);
    if (fileStat.size === 0 && sizeOf(`${path}-wal`) > 0)
      throw new JournalError('corrupt', `journal ${path}: empty, but its write-ahead log holds data (file cut short)`);
  } catch (error) {
    if (error instanceof JournalError) throw error;
    if (readonly) throw new JournalError('not_found', `journal ${path}: no such file`);
  }
  if (readonly) return;
  // The directory too: SQLite creates the -wal and -shm files beside the journal.
  for (const [target, what] of [
    [dir, `directory ${dir}`],
    [path, 'the file'],
  ] as const) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new JournalError('not_writable', `journal ${path}: ${what} is not writable by this user`);
    }
  }
}

/** Opens (creating and migrating when needed) the SQLite journal: WAL, synchronous=FULL, foreign keys on. */
export function openSqliteJournal(options: SqliteJournalOptions): SqliteJournal {
  const readonly = options.readonly ?? false;
  checkLocation(options.path, readonly);
  let db: Database.Database | undefined;
  try {
    db = new Database(options.path, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? 5000 });
    // Before the pragmas below write to it: a newer build's journal is left exactly as it was (a downgrade).
    refuseNewerSchema(db, options.path);
    if (!readonly) {
      // Before WAL and the first table, or it has no effect: lets retention return space (sqlite-housekeeping.ts).
      // A no-op on a file that already has tables.
      db.pragma('auto_vacuum = INCREMENTAL');
      // WAL: one sequential append + fsync per commit, readers never block the writer. FULL: the WAL is fsynced at
      // every commit, so a committed message survives power loss, not only a process crash (sqlite.org/pragma.html).
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal')
        throw new JournalError('io', `journal ${options.path}: WAL mode refused (got ${String(mode)})`);
      db.pragma('synchronous = FULL');
      // Keeps the -wal file from staying large after a burst (SD cards: less space, same writes).
      db.pragma('journal_size_limit = 4194304');
      if (options.maxSizeBytes !== undefined) {
        const pageSize = db.pragma('page_size', { simple: true }) as number;
        db.pragma(`max_page_count = ${Math.max(1, Math.floor(options.maxSizeBytes / pageSize))}`);
      }
    }
    db.pragma('foreign_keys = ON');
    // 2 MB page cache instead of SQLite's 16 MB default: the working set (unpublished rows, the outbox) is small, and
    // a gateway's RAM is better left to the OS page cache, which serves the same pages (test/bench/rss-commands.bench.ts).
    db.pragma('cache_size = -2048');
    if (!readonly) {
      // A damaged file (pages lost to power loss or a bad card) can open and then read back with rows silently
      // missing; quick_check reads every page once at start, so the daemon refuses it instead of running on it.
      const check = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check).join('; ');
      if (check !== 'ok')
        throw new JournalError('corrupt', `journal ${options.path}: damaged (quick_check: ${check.slice(0, 200)})`);
    }
    migrate(db, options.path, readonly);
    if (!readonly) ensureIncrementalVacuum(db);
    return new SqliteJournal(db, options);
  } catch (error) {
    db?.close();
    throw toJournalError(error, options.path);
  }
}
