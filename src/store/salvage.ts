import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { JournalError } from './errors.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqliteJournal } from './sqlite-open.js';

/** What came across from one table of the damaged journal. */
export interface SalvagedTable {
  table: string;
  /** Rows read and written to the new journal. */
  copied: number;
  /** Row ranges that could not be read (damaged pages), as `after rowid N`; empty when the table read whole. */
  unreadable: string[];
  /** Set when the table could not be read at all. */
  error: string | null;
}

export interface SalvageReport {
  from: string;
  to: string;
  schema_version: number;
  tables: SalvagedTable[];
  /** `PRAGMA foreign_key_check` of the new journal: rows whose parent row was lost (e.g. parts of a lost reply). */
  orphans: number;
}

const BATCH = 200;
/** How far past an unreadable spot the next readable row is looked for: doubling gaps up to rowid 2^53. */
const MAX_GAP = 2 ** 52;

/**
 * Copies every row that can still be read from a damaged journal (power loss, a cut copy, a bad SD card) into a new
 * journal with the current schema, keeping row ids, so the daemon can start on it and publish or send what was not
 * yet done. Rows on damaged pages are skipped: the read restarts past them at doubling row-id gaps. The damaged file
 * is opened read-only and never changed.
 */
export function salvageJournal(from: string, to: string): SalvageReport {
  if (!existsSync(from)) throw new JournalError('not_found', `journal ${from}: no such file`);
  if (existsSync(to)) throw new JournalError('invalid_input', `${to} exists: salvage writes a new file only`);
  let source: Database.Database;
  let version: number;
  try {
    source = new Database(from, { readonly: true, fileMustExist: true });
    // As SQLite's own .dump does: a schema whose tables point at lost pages still loads, so the rest can be read.
    source.unsafeMode(true);
    source.pragma('writable_schema = ON');
    version = source.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw new JournalError('corrupt', `journal ${from}: cannot be read at all: ${(error as Error).message}`);
  }
  try {
    if (version > SCHEMA_VERSION) {
      throw new JournalError(
        'schema_too_new',
        `journal ${from}: schema version ${version} was written by a newer m2m-bridge (this build knows ${SCHEMA_VERSION})`,
      );
    }
    // The new journal gets the current schema from the usual opener, then is filled over a plain connection with
    // foreign keys off: a reply part may come across without its reply (counted in `orphans`).
    openSqliteJournal({ path: to }).close();
    const target = new Database(to);
    try {
      target.pragma('foreign_keys = OFF');
      const tables = target
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .pluck()
        .all() as string[];
      const report: SalvageReport = { from, to, schema_version: version, tables: [], orphans: 0 };
      for (const table of tables) report.tables.push(copyTable(source, target, table));
      report.orphans = (target.pragma('foreign_key_check') as unknown[]).length;
      return report;
    } finally {
      target.close();
    }
  } finally {
    source.close();
  }
}

function columnsOf(db: Database.Database, table: string): string[] {
  return (db.pragma(`table_info(${quote(table)})`) as { name: string }[]).map((c) => c.name);
}

function copyTable(source: Database.Database, target: Database.Database, table: string): SalvagedTable {
  const result: SalvagedTable = { table, copied: 0, unreadable: [], error: null };
  let columns: string[];
  try {
    const have = new Set(columnsOf(source, table));
    columns = columnsOf(target, table).filter((c) => have.has(c));
    if (columns.length === 0) throw new Error('not in the damaged journal');
  } catch (error) {
    result.error = (error as Error).message;
    return result;
  }
  const list = columns.map(quote).join(', ');
  const read = source.prepare(
    `SELECT rowid AS __rowid, ${list} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`,
  );
  const insert = target.prepare(
    `INSERT OR IGNORE INTO ${quote(table)} (rowid, ${list}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
  );
  const write = target.transaction((rows: Record<string, unknown>[]) => {
    for (const row of rows) {
      if (insert.run(row.__rowid, ...columns.map((c) => row[c])).changes > 0) result.copied++;
    }
  });
  const readOne = source.prepare(
    `SELECT rowid AS __rowid, ${list} FROM ${quote(table)} WHERE rowid > ? ORDER BY rowid LIMIT 1`,
  );
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    let rows: Record<string, unknown>[];
    try {
      rows = read.all(after) as Record<string, unknown>[];
      if (rows.some((row, i) => !(Number(row.__rowid) > (i === 0 ? after : Number(rows[i - 1]!.__rowid)))))
        throw new Error('rows out of order: a damaged page');
    } catch {
      // Somewhere in this batch: take the rows before the damage one by one, then look for where reading resumes.
      after = copyUpToDamage(readOne, write, after);
      const resumed = resumeAfterDamage(read, after);
      result.unreadable.push(`after rowid ${after === Number.MIN_SAFE_INTEGER ? 'start' : after}`);
      if (resumed === null) break;
      after = resumed;
      continue;
    }
    if (rows.length === 0) break;
    write(rows);
    after = Number(rows.at(-1)!.__rowid);
  }
  return result;
}

/** Copies single rows from `after` until one cannot be read; returns the last row id copied (or `after`). */
function copyUpToDamage(
  readOne: Database.Statement,
  write: (rows: Record<string, unknown>[]) => void,
  after: number,
): number {
  for (;;) {
    let row: Record<string, unknown> | undefined;
    try {
      row = readOne.get(after) as Record<string, unknown> | undefined;
    } catch {
      return after;
    }
    // A damaged b-tree can hand back rows it already gave (the cursor wraps): only ever move forward.
    if (!row || !(Number(row.__rowid) > after)) return after;
    write([row]);
    after = Number(row.__rowid);
  }
}

/** The row id to continue after, past an unreadable spot: probes at doubling gaps; null when nothing past it reads. */
function resumeAfterDamage(read: Database.Statement, after: number): number | null {
  const base = after === Number.MIN_SAFE_INTEGER ? 0 : after;
  for (let gap = 1; gap <= MAX_GAP; gap *= 2) {
    try {
      const rows = read.all(base + gap) as { __rowid: unknown }[];
      if (rows.some((row) => !(Number(row.__rowid) > base + gap))) continue;
      return base + gap;
    } catch {
      // still inside the damage
    }
  }
  return null;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
