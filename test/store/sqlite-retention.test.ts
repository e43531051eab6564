import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteJournal } from '../../src/store/index.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteJournal disk space (small SD cards)', () => {
  it('converts a journal created without incremental auto-vacuum when it opens it, keeping every record', () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-journal-space-'));
    const path = join(dir, 'journal.db');
    let journal = openSqliteJournal({ path });
    journal.recordInbound({ key: 'kept', kind: 'command', sender: '2936', payload: '{}', publish: true });
    journal.close();
    // Back to what an earlier build left: auto_vacuum NONE (changing it on a file with tables takes a VACUUM).
    const old = new Database(path);
    old.pragma('auto_vacuum = NONE');
    old.exec('VACUUM');
    expect(old.pragma('auto_vacuum', { simple: true })).toBe(0);
    old.close();

    journal = openSqliteJournal({ path });
    expect(journal.storageUsage().incremental_vacuum).toBe(true);
    expect(journal.getInbound('kept')).not.toBeNull();
    expect(journal.integrityCheck()).toBe('ok');
    journal.close();
  });

  it('creates new files with incremental auto-vacuum, so pruning shrinks the file on disk', () => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-journal-space-'));
    const path = join(dir, 'journal.db');
    let time = 1_700_000_000_000;
    const journal = openSqliteJournal({ path, now: () => time });
    expect(journal.storageUsage().incremental_vacuum).toBe(true);
    const payload = 'y'.repeat(4000);
    for (let i = 0; i < 500; i++) {
      journal.recordInbound({ key: `k${i}`, kind: 'command', sender: '2936', payload, publish: true });
      journal.markPublished(`k${i}`);
    }
    journal.compact(1); // checkpoint: the rows reach the main file
    const grown = statSync(path).size;
    expect(grown).toBeGreaterThan(500 * 4000);
    time += 1000;
    while (journal.pruneBatch(time, 200).inbox > 0);
    while (journal.compact(128) > 0);
    const usage = journal.storageUsage();
    expect(usage.db_bytes).toBe(statSync(path).size);
    expect(usage.db_bytes).toBeLessThan(grown / 10);
    journal.close();
  });
});
