import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Retention } from '../../src/daemon/retention.js';
import { openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';

const DAY = 86_400_000;
const MB = 1024 * 1024;
let dir: string;
let path: string;
let time: number;
let journal: SqliteJournal;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-retention-'));
  path = join(dir, 'journal.db');
  time = Date.parse('2026-11-27T10:00:00Z');
  journal = openSqliteJournal({ path, now: () => time });
});
afterEach(() => {
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

function retention(maxAgeMs: number, maxBytes: number) {
  return new Retention({ journal, now: () => time, logger: pino({ level: 'silent' }), maxAgeMs, maxBytes });
}

/**
 * `count` commands of `size` bytes each at the current time, published (finished) unless `published` is false. Written
 * in one transaction through a second connection, as the daemon's journal would have them after months of traffic
 * (one fsync per record would make the fixture slower than the test).
 */
function commands(prefix: string, count: number, size: number, published = true) {
  const db = new Database(path);
  const insert = db.prepare(
    'INSERT INTO inbox (key, kind, sender, payload, state, received_at, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      insert.run(
        `${prefix}-${i}`,
        'command',
        '2936',
        'p'.repeat(size),
        published ? 'published' : 'received',
        time,
        published ? time : null,
      );
    }
  })();
  db.close();
}

describe('journal retention (small SD cards)', () => {
  it('prunes finished records older than the retention age and keeps the rest', async () => {
    commands('old', 50, 100);
    commands('old-unpublished', 3, 100, false);
    time += 31 * DAY;
    commands('new', 10, 100);
    const report = await retention(30 * DAY, 50 * MB).run();
    expect(report?.removed.inbox).toBe(50);
    expect(report?.over_size).toBe(false);
    expect(journal.getInbound('old-0')).toBeNull();
    expect(journal.getInbound('new-9')).not.toBeNull();
    // Never pruned: a command the broker has not acknowledged yet, however old.
    expect(journal.listUnpublished().map((e) => e.key)).toEqual([0, 1, 2].map((i) => `old-unpublished-${i}`));
  });

  it('keeps the journal under the size cap by pruning the oldest finished records, and the file shrinks', async () => {
    commands('a', 1500, 2000); // ~3 MB of young, finished history
    journal.compact(1);
    const before = statSync(path).size;
    expect(before).toBeGreaterThan(3 * MB);
    const report = await retention(30 * DAY, 1 * MB).run();
    expect(report?.usage.used_bytes).toBeLessThanOrEqual(1 * MB);
    expect(report?.pages_released).toBeGreaterThan(0);
    expect(statSync(path).size).toBeLessThan(before / 2);
    // Oldest first: the newest records survived.
    expect(journal.getInbound('a-0')).toBeNull();
    expect(journal.getInbound('a-1499')).not.toBeNull();
  });

  it('never prunes unpublished work to meet the cap, and says the journal is over it', async () => {
    commands('waiting', 600, 2000, false); // ~1.2 MB nobody has acknowledged
    const report = await retention(30 * DAY, 1 * MB).run();
    expect(report?.over_size).toBe(true);
    expect(journal.counts().inbox_unpublished).toBe(600);
  });

  it('works in small steps: the event loop keeps turning while a large prune runs', async () => {
    commands('b', 3000, 1000);
    time += 31 * DAY;
    let beats = 0;
    let beating = true;
    const beat = () => {
      beats += 1;
      if (beating) setImmediate(beat);
    };
    setImmediate(beat);
    const report = await new Retention({
      journal,
      now: () => time,
      logger: pino({ level: 'silent' }),
      maxAgeMs: 30 * DAY,
      maxBytes: 50 * MB,
      batchRows: 100,
      vacuumPages: 32,
    }).run();
    beating = false;
    expect(report?.removed.inbox).toBe(3000);
    // 30 prune steps and the vacuum slices each gave the loop a turn (a single blocking prune would give ~1).
    expect(beats).toBeGreaterThanOrEqual(30);
  });

  it('reports a failed pass and keeps going (the next pass tries again)', async () => {
    const errors: string[] = [];
    const r = new Retention({
      journal,
      now: () => time,
      logger: pino({ level: 'silent' }),
      maxAgeMs: 30 * DAY,
      maxBytes: 50 * MB,
      onError: (message) => errors.push(message),
    });
    journal.close();
    expect(await r.run()).toBeNull();
    expect(errors).toEqual([`journal ${path}: already closed`]);
  });

  it('stops between steps when the daemon stops, before the journal closes', async () => {
    commands('c', 2000, 500);
    time += 31 * DAY;
    const r = new Retention({
      journal,
      now: () => time,
      logger: pino({ level: 'silent' }),
      maxAgeMs: 30 * DAY,
      maxBytes: 50 * MB,
      batchRows: 50,
    });
    const running = r.run();
    await r.stop();
    expect(await running).toBeNull();
    // Stopped part-way: some were pruned, not all, and the journal is intact and usable.
    const left = journal.history({ limit: 1000, direction: 'inbound' }).length;
    expect(left).toBeGreaterThan(0);
    expect(journal.integrityCheck()).toBe('ok');
  });
});
