import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InboundEntry, JournalError, openSqliteJournal, salvageJournal } from '../../src/store/index.js';

// A journal cut by power loss is refused at start (exit 65); `m2m-bridge journal salvage` copies what can still be
// read into a new journal the daemon accepts. Every row that comes across must be exactly as committed.

const COMMITS = 300;
const payloadOf = (i: number) => JSON.stringify({ id: `sms_${i}`, body: `command ${i} ${'x'.repeat(i % 97)}` });
let root: string;
let whole: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'm2m-salvage-'));
  whole = join(root, 'whole.db');
  const journal = openSqliteJournal({ path: whole, now: () => 1_800_000_000_000 });
  for (let i = 0; i < COMMITS; i++)
    journal.recordInbound({ key: `sms_${i}`, kind: 'command', sender: '2936', payload: payloadOf(i), publish: true });
  journal.close(); // checkpointed: everything is in the db file
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cutCopy(name: string, bytes: number): string {
  const path = join(root, `${name}.db`);
  copyFileSync(whole, path);
  truncateSync(path, bytes);
  return path;
}

/**
 * A cut halfway between the last table's root page and the end of the file: some row pages survive, some are lost,
 * whatever number of (empty) tables the schema has ahead of them (a fixed fraction moves with every migration).
 */
function halfwayThroughRows(): number {
  const db = new Database(whole, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const lastRoot = (db.prepare('SELECT max(rootpage) AS n FROM sqlite_master').get() as { n: number }).n;
  db.close();
  const pages = statSync(whole).size / pageSize;
  return Math.floor(lastRoot + (pages - lastRoot) / 2) * pageSize;
}

/** Opens a salvaged journal as the daemon would and returns its commands; it must pass SQLite's integrity check. */
function commandsIn(path: string): InboundEntry[] {
  const journal = openSqliteJournal({ path });
  try {
    expect(journal.integrityCheck()).toBe('ok');
    return journal.history({ direction: 'inbound', limit: 10_000 }).map((item) => item.entry as InboundEntry);
  } finally {
    journal.close();
  }
}

describe('salvageJournal', () => {
  it('a journal cut halfway through its rows: the daemon refuses it, the salvaged copy opens with the readable rows exactly as committed', () => {
    const damaged = cutCopy('cut', halfwayThroughRows());
    const before = readFileSync(damaged);
    expect(() => openSqliteJournal({ path: cutCopy('refused', halfwayThroughRows()) })).toThrow(JournalError);
    const to = join(root, 'salvaged.db');
    const report = salvageJournal(damaged, to);
    const inbox = report.tables.find((t) => t.table === 'inbox')!;
    expect(inbox.copied).toBeGreaterThan(0);
    expect(inbox.unreadable.length).toBeGreaterThan(0);
    const rows = commandsIn(to);
    expect(rows).toHaveLength(inbox.copied);
    for (const row of rows) expect(row.payload).toBe(payloadOf(Number(String(row.key).slice(4))));
    // Read-only: the damaged file is exactly as it was.
    expect(readFileSync(damaged).equals(before)).toBe(true);
  });

  it('an undamaged journal comes across whole', () => {
    const to = join(root, 'whole-copy.db');
    expect(salvageJournal(whole, to).tables.find((t) => t.table === 'inbox')).toMatchObject({
      copied: COMMITS,
      unreadable: [],
    });
    expect(commandsIn(to)).toHaveLength(COMMITS);
  });

  it('cut anywhere: never throws past a damaged page, and what it writes always opens', () => {
    const size = statSync(whole).size;
    for (const [n, bytes] of [4096, 8192, Math.floor(size / 3), Math.floor(size / 2), size - 4096].entries()) {
      const to = join(root, `any-${n}-salvaged.db`);
      const report = salvageJournal(cutCopy(`any-${n}`, bytes), to);
      const rows = commandsIn(to);
      expect(rows.length).toBe(report.tables.find((t) => t.table === 'inbox')!.copied);
      for (const row of rows) expect(row.payload).toBe(payloadOf(Number(String(row.key).slice(4))));
    }
  });

  it('refuses to overwrite, a missing source, and a journal from a newer version', () => {
    expect(() => salvageJournal(whole, whole)).toThrow(/exists/);
    expect(() => salvageJournal(join(root, 'nope.db'), join(root, 'x.db'))).toThrow(/no such file/);
    const newer = join(root, 'newer.db');
    copyFileSync(whole, newer);
    const db = new Database(newer);
    db.pragma('user_version = 999');
    db.close();
    expect(() => salvageJournal(newer, join(root, 'from-newer.db'))).toThrow(/newer m2m-bridge/);
    expect(existsSync(join(root, 'from-newer.db'))).toBe(false);
  });
});
