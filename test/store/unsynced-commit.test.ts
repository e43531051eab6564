import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutFsync } from '../../src/store/unsynced-commit.js';

// The "published" marks skip one fsync each (unsynced-commit.ts); everything else the journal commits must still be
// fsynced, so the connection has to be back at FULL after every mark, whatever happened during it.

const FULL = 2;
const NORMAL = 1;

let dir: string;
let db: Database.Database;
const synchronous = () => db.pragma('synchronous', { simple: true });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m unsynced '));
  db = new Database(join(dir, 'journal.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE marks (id INTEGER PRIMARY KEY, state TEXT NOT NULL)');
  db.prepare(`INSERT INTO marks (id, state) VALUES (1, 'received')`).run();
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('withoutFsync', () => {
  it('commits the write at synchronous=NORMAL and returns to FULL', () => {
    let during: unknown;
    const changes = withoutFsync(db, () => {
      during = synchronous();
      return db.prepare(`UPDATE marks SET state = 'published' WHERE id = 1`).run().changes;
    });
    expect(changes).toBe(1);
    expect(during).toBe(NORMAL);
    expect(synchronous()).toBe(FULL);
    // Committed, not pending: another connection (as `m2m-bridge journal` opens one) reads it.
    const reader = new Database(join(dir, 'journal.db'), { readonly: true });
    expect(reader.prepare('SELECT state FROM marks WHERE id = 1').get()).toEqual({ state: 'published' });
    reader.close();
  });

  it('returns to FULL when the write fails, and passes the error on', () => {
    expect(() => withoutFsync(db, () => db.prepare(`INSERT INTO marks (id, state) VALUES (1, 'again')`).run())).toThrow(
      /UNIQUE/,
    );
    expect(synchronous()).toBe(FULL);
  });

  it('inside a transaction leaves the setting alone: the enclosing commit is fsynced as usual', () => {
    let during: unknown;
    db.transaction(() => {
      withoutFsync(db, () => {
        during = synchronous();
        db.prepare(`UPDATE marks SET state = 'published' WHERE id = 1`).run();
      });
    })();
    expect(during).toBe(FULL);
    expect(synchronous()).toBe(FULL);
  });
});
