import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError, openSqliteJournal, SCHEMA_VERSION, type SqliteJournal } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/schema.js';

function openError(fn: () => unknown): JournalError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JournalError) return error;
    throw error;
  }
  throw new Error('expected a JournalError');
}

describe('SqliteJournal: opening, settings and failures', () => {
  let dir: string;
  const open: SqliteJournal[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-journal-open-'));
  });
  afterEach(() => {
    for (const journal of open.splice(0)) journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const track = (journal: SqliteJournal) => {
    open.push(journal);
    return journal;
  };

  it('creates a new journal in WAL mode with synchronous=FULL at the current schema version', () => {
    const journal = track(openSqliteJournal({ path: join(dir, 'j.db') }));
    expect(journal.settings()).toEqual({ journal_mode: 'wal', synchronous: 'full', schema_version: SCHEMA_VERSION });
    expect(journal.integrityCheck()).toBe('ok');
  });

  it('says which directory is missing', () => {
    const error = openError(() => openSqliteJournal({ path: join(dir, 'missing', 'j.db') }));
    expect(error.code).toBe('not_writable');
    expect(error.message).toContain(`directory ${join(dir, 'missing')} does not exist`);
  });

  it('says when the parent is not a directory', () => {
    writeFileSync(join(dir, 'file'), 'x');
    const error = openError(() => openSqliteJournal({ path: join(dir, 'file', 'j.db') }));
    expect(error.code).toBe('not_writable');
    expect(error.message).toContain('is not a directory');
  });

  it('says when the path is a directory', () => {
    mkdirSync(join(dir, 'j.db'));
    const error = openError(() => openSqliteJournal({ path: join(dir, 'j.db') }));
    expect(error.code).toBe('not_writable');
    expect(error.message).toContain('not a regular file');
  });

  it('reports a file that is not a journal as corrupt, naming the file', () => {
    const path = join(dir, 'j.db');
    writeFileSync(path, 'this is not sqlite, just text that someone put here by mistake\n'.repeat(100));
    const error = openError(() => openSqliteJournal({ path }));
    expect(error.code).toBe('corrupt');
    expect(error.message).toContain(path);
  });

  it('refuses a journal written by a newer version instead of guessing', () => {
    const path = join(dir, 'j.db');
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    const error = openError(() => openSqliteJournal({ path }));
    expect(error.code).toBe('schema_too_new');
    expect(error.message).toContain('schema version 99');
  });

  it('migrates an empty older file up to the current schema', () => {
    const path = join(dir, 'j.db');
    new Database(path).close();
    const journal = track(openSqliteJournal({ path }));
    expect(journal.settings().schema_version).toBe(SCHEMA_VERSION);
  });

  it('migrates a version-1 journal holding replies and statuses, keeping them (no status marked as a repeat)', () => {
    const path = join(dir, 'j.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.pragma('user_version = 1');
    raw
      .prepare(
        `INSERT INTO outbox (id, transaction_, destination, mode, body, parts, state, attempts, next_attempt_at,
           accepted_at, updated_at) VALUES ('r1', 't', '2936', 'text', 'pong', 1, 'sent', 1, 1, 1, 2)`,
      )
      .run();
    raw
      .prepare(`INSERT INTO reply_parts (reply_rowid, part_index, message_reference, sent_at) VALUES (1, 0, 9, 2)`)
      .run();
    raw.prepare(`INSERT INTO status_events (reply_id, transaction_, status, at) VALUES ('r1', 't', 'queued', 1)`).run();
    raw.close();
    const journal = track(openSqliteJournal({ path }));
    expect(journal.settings().schema_version).toBe(SCHEMA_VERSION);
    expect(journal.getReply('r1')).toMatchObject({ state: 'sent', message_references: [9], sent_parts: [true] });
    expect(journal.listUnpublishedStatus()).toEqual([expect.objectContaining({ status: 'queued', repeated: false })]);
  });

  it('fails a write with disk_full when the disk (here: the size cap) is full, keeping what was committed', () => {
    const path = join(dir, 'j.db');
    const journal = track(openSqliteJournal({ path, maxSizeBytes: 160 * 1024 }));
    const big = 'x'.repeat(2000);
    let committed = 0;
    const error = openError(() => {
      for (let i = 0; i < 1000; i++) {
        journal.recordInbound({ key: `k${i}`, kind: 'command', sender: '2936', payload: big, publish: true });
        committed = i + 1;
      }
    });
    expect(error.code).toBe('disk_full');
    expect(error.sqliteCode).toBe('SQLITE_FULL');
    expect(committed).toBeGreaterThan(3);
    expect(journal.listUnpublished()).toHaveLength(committed);
    journal.close();
    const reopened = track(openSqliteJournal({ path }));
    expect(reopened.listUnpublished()).toHaveLength(committed);
  });

  it('fails with busy when another process holds the write lock beyond the busy timeout', () => {
    const path = join(dir, 'j.db');
    const journal = track(openSqliteJournal({ path, busyTimeoutMs: 50 }));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = openError(() =>
        journal.recordInbound({ key: 'k', kind: 'command', sender: '2936', payload: '{}', publish: true }),
      );
      expect(error.code).toBe('busy');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(
      journal.recordInbound({ key: 'k', kind: 'command', sender: '2936', payload: '{}', publish: true }).created,
    ).toBe(true);
  });

  it('opens read-only beside a writer (m2m-bridge history) and sees committed records', () => {
    const path = join(dir, 'j.db');
    const writer = track(openSqliteJournal({ path }));
    writer.recordInbound({ key: 'seen', kind: 'command', sender: '2936', payload: '{}', publish: true });
    const reader = track(openSqliteJournal({ path, readonly: true }));
    expect(reader.history().map((item) => item.direction)).toEqual(['inbound']);
    expect(
      openError(() => reader.recordInbound({ key: 'x', kind: 'command', sender: '1', payload: '{}', publish: true }))
        .code,
    ).toBe('not_writable');
  });

  it('refuses to open a missing file read-only', () => {
    expect(openError(() => openSqliteJournal({ path: join(dir, 'nope.db'), readonly: true })).code).toBe('not_found');
  });
});
