/**
 * Journal errors carry a code the daemon can act on (exit with a clear message at startup, report on health later),
 * in the style of serialport's marker errors and MQTT.js's reason-code tables.
 */
export type JournalErrorCode =
  /** The directory is missing, is not a directory, or the file cannot be created or written. */
  | 'not_writable'
  /** SQLITE_FULL: the disk (or the configured size cap) is full. */
  | 'disk_full'
  /** The file is not a journal (SQLITE_NOTADB) or is damaged (SQLITE_CORRUPT). */
  | 'corrupt'
  /** Another process held a lock longer than the busy timeout. */
  | 'busy'
  /** The file was written by a newer m2m-bridge (its schema version is higher than this build knows). */
  | 'schema_too_new'
  /** Opened read-only, but the file needs a migration first (run the daemon once). */
  | 'schema_outdated'
  /** Any other I/O failure (SQLITE_IOERR_*). */
  | 'io'
  | 'closed'
  | 'not_found'
  /** A state change that the state machine does not allow (e.g. markSent on a queued reply). */
  | 'invalid_state'
  | 'invalid_input';

export class JournalError extends Error {
  override name = 'JournalError';
  readonly code: JournalErrorCode;
  /** The SQLite result code behind it, e.g. "SQLITE_FULL", when there is one. */
  readonly sqliteCode: string | null;

  constructor(code: JournalErrorCode, message: string, options: { sqliteCode?: string | null; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.sqliteCode = options.sqliteCode ?? null;
  }
}

function sqliteCodeOf(error: unknown): string | null {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return null;
}

/** Turns a better-sqlite3 SqliteError (or fs error) into a JournalError that says what is wrong with which file. */
export function toJournalError(error: unknown, path: string): JournalError {
  if (error instanceof JournalError) return error;
  const code = sqliteCodeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const options = { sqliteCode: code, cause: error };
  if (code === null) return new JournalError('io', `journal ${path}: ${detail}`, options);
  if (code === 'SQLITE_FULL') {
    return new JournalError(
      'disk_full',
      `journal ${path}: disk full (or the journal size cap reached): ${detail}`,
      options,
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM') {
    return new JournalError('not_writable', `journal ${path}: cannot open for writing: ${detail}`, options);
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new JournalError('corrupt', `journal ${path}: not a journal file or damaged: ${detail}`, options);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new JournalError('busy', `journal ${path}: locked by another process: ${detail}`, options);
  }
  if (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_FSYNC') {
    // ENOSPC surfaces as an I/O error on some filesystems rather than SQLITE_FULL.
    if (/no space|ENOSPC/i.test(detail))
      return new JournalError('disk_full', `journal ${path}: disk full: ${detail}`, options);
  }
  return new JournalError('io', `journal ${path}: ${detail}`, options);
}
