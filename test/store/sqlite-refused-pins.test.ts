import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteJournal, SCHEMA_VERSION } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/schema.js';

// A PIN long enough (8 digits, the most TS 31.102 allows) that it cannot turn up in the file's bytes by chance.
const WRONG = '97531864';
const OTHER = '24681357';
const SIM_A = 'iccid:8944500102198304826';
const SIM_B = 'iccid:8944500102198304834';

describe('refused SIM PINs in the journal (real SQLite on disk)', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'm2m-refused-pins-'));
    path = join(dir, 'journal.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a refused PIN is still refused after the journal is closed and opened again, for that SIM only', () => {
    const first = openSqliteJournal({ path });
    first.refusedPins().add(SIM_A, WRONG);
    first.close();

    const again = openSqliteJournal({ path });
    const pins = again.refusedPins();
    expect(pins.has(SIM_A, WRONG)).toBe(true);
    // A changed PIN is not refused (it may be tried once), and another SIM's PIN is its own.
    expect(pins.has(SIM_A, OTHER)).toBe(false);
    expect(pins.has(SIM_B, WRONG)).toBe(false);
    // The same refusal twice is one row; a second refused PIN is another.
    pins.add(SIM_A, WRONG);
    pins.add(SIM_A, OTHER);
    expect(pins.has(SIM_A, OTHER)).toBe(true);
    again.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT count(*) AS n FROM refused_pins').get()).toEqual({ n: 2 });
    raw.close();
  });

  it("forgets a SIM's refusals once it was seen unlocked, across a reopen; other SIMs keep theirs", () => {
    const first = openSqliteJournal({ path });
    first.refusedPins().add(SIM_A, WRONG);
    first.refusedPins().add(SIM_B, WRONG);
    first.refusedPins().forget(SIM_A);
    first.refusedPins().forget('iccid:nothing-refused');
    first.close();
    const again = openSqliteJournal({ path });
    expect(again.refusedPins().has(SIM_A, WRONG)).toBe(false);
    expect(again.refusedPins().has(SIM_B, WRONG)).toBe(true);
    again.close();
  });

  it('keeps a salted SHA-256, never the PIN: the PIN is in none of the files, and two SIMs get different hashes', () => {
    const journal = openSqliteJournal({ path });
    journal.refusedPins().add(SIM_A, WRONG);
    journal.refusedPins().add(SIM_B, WRONG);
    // Read the bytes while the write-ahead log still holds the commits, and after they were merged into the file.
    const files = () => [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file));
    const hasPin = (bytes: Buffer) =>
      bytes.includes(Buffer.from(WRONG, 'latin1')) || bytes.includes(Buffer.from(WRONG, 'utf16le'));
    expect(files().some(hasPin)).toBe(false);
    journal.close();
    expect(files().some(hasPin)).toBe(false);

    const raw = new Database(path, { readonly: true });
    const rows = raw.prepare('SELECT sim_id, salt, pin_sha256 FROM refused_pins ORDER BY id').all() as {
      sim_id: string;
      salt: Buffer;
      pin_sha256: Buffer;
    }[];
    raw.close();
    expect(rows.map((r) => r.sim_id)).toEqual([SIM_A, SIM_B]);
    expect(rows.every((r) => r.salt.length === 16 && r.pin_sha256.length === 32)).toBe(true);
    expect(rows[0]!.pin_sha256.equals(rows[1]!.pin_sha256)).toBe(false);
  });

  it('a version-4 journal (before refused_pins) opens, migrates and keeps refusals from then on', () => {
    const raw = new Database(path);
    for (const sql of MIGRATIONS.slice(0, 4)) raw.exec(sql);
    raw.pragma('user_version = 4');
    raw.close();
    const journal = openSqliteJournal({ path });
    expect(journal.settings().schema_version).toBe(SCHEMA_VERSION);
    expect(journal.refusedPins().has(SIM_A, WRONG)).toBe(false);
    journal.refusedPins().add(SIM_A, WRONG);
    expect(journal.refusedPins().has(SIM_A, WRONG)).toBe(true);
    journal.close();
  });
});
