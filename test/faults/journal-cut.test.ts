import { copyFileSync, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/daemon/exit-codes.js';
import { type InboundEntry, JournalError, openSqliteJournal } from '../../src/store/index.js';
import { runCli } from '../helpers/cli.js';
import { SeededRandom } from '../helpers/seeded.js';

// Power loss: the journal's files (db + -wal) end at some byte. Opening what is left must give either a consistent
// journal holding exactly what was committed up to some point, or a JournalError naming the file — never a crash,
// never a row with wrong content, never a hole in the committed sequence.

const COMMITTED = 200;
const CHECKPOINTED = 100;
const root = mkdtempSync(join(tmpdir(), 'm2m-journal-cut-'));
const source = join(root, 'source');
const random = SeededRandom.fromEnvironment();

const payloadOf = (i: number) => JSON.stringify({ id: `sms_${i}`, body: `command ${i} ${'x'.repeat(i % 97)}` });

/**
 * The files as power loss would find them: commands 0–99 checkpointed into the db file, 100–199 committed in the
 * WAL only (copied while the writer still has the journal open, so nothing is checkpointed on close).
 */
beforeAll(() => {
  console.log(`[faults] journal cut seed=${random.seed} (replay: M2M_FAULT_SEED=${random.seed})`);
  const path = `${source}.db`;
  let journal = openSqliteJournal({ path, now: () => 1_800_000_000_000 });
  for (let i = 0; i < CHECKPOINTED; i++)
    journal.recordInbound({ key: `sms_${i}`, kind: 'command', sender: '2936', payload: payloadOf(i), publish: true });
  journal.close(); // the last connection checkpoints everything into the db file and removes the WAL
  journal = openSqliteJournal({ path, now: () => 1_800_000_000_000 });
  for (let i = CHECKPOINTED; i < COMMITTED; i++)
    journal.recordInbound({ key: `sms_${i}`, kind: 'command', sender: '2936', payload: payloadOf(i), publish: true });
  copyFileSync(path, join(root, 'snapshot.db'));
  copyFileSync(`${path}-wal`, join(root, 'snapshot.db-wal'));
  journal.close();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Outcome = { kind: 'consistent'; rows: number } | { kind: 'journal_error'; code: string };

/** Opens a cut copy as the daemon would (read-write) and reads every row; classifies what happened. */
function openCut(name: string, cut: { db?: number; wal?: number }): Outcome {
  const path = join(root, `${name}.db`);
  copyFileSync(join(root, 'snapshot.db'), path);
  copyFileSync(join(root, 'snapshot.db-wal'), `${path}-wal`);
  if (cut.db !== undefined) truncateSync(path, cut.db);
  if (cut.wal !== undefined) truncateSync(`${path}-wal`, cut.wal);
  try {
    const journal = openSqliteJournal({ path });
    try {
      const rows = journal.history({ direction: 'inbound', limit: 1000 }).map((item) => item.entry as InboundEntry);
      // Opened: then it must be sound through and through, not only in the rows read.
      expect(journal.integrityCheck(), name).toBe('ok');
      // Every row readable and exactly as committed; the rows form an unbroken prefix 0..n-1 of the commits.
      const keys = new Set<string>();
      for (const row of rows) {
        const index = Number(String(row.key).slice(4));
        expect(row.payload, `${name}: ${row.key}`).toBe(payloadOf(index));
        keys.add(row.key);
      }
      for (let i = 0; i < rows.length; i++) expect(keys.has(`sms_${i}`), `${name}: hole at sms_${i}`).toBe(true);
      expect(journal.listUnpublished(1000)).toHaveLength(rows.length);
      return { kind: 'consistent', rows: rows.length };
    } finally {
      journal.close();
    }
  } catch (error) {
    // Anything but a JournalError is a crash of the daemon's start-up path.
    if (!(error instanceof JournalError)) throw error;
    return { kind: 'journal_error', code: error.code };
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  }
}

describe('a journal file cut at random byte offsets (power loss)', () => {
  it('WAL cut anywhere, db intact: always a consistent journal with at least the checkpointed commits', () => {
    const walSize = statSync(join(root, 'snapshot.db-wal')).size;
    const offsets = [0, 1, 31, 32, 33, walSize - 1, ...Array.from({ length: 40 }, () => random.int(0, walSize))];
    const rows: number[] = [];
    for (const [n, wal] of offsets.entries()) {
      const outcome = openCut(`wal-${n}`, { wal });
      expect(outcome, `WAL cut at ${wal} of ${walSize} (seed ${random.seed})`).toMatchObject({ kind: 'consistent' });
      if (outcome.kind === 'consistent') {
        // SQLite stops at the last whole commit frame in the WAL; what the db file holds is never lost.
        expect(outcome.rows, `WAL cut at ${wal}`).toBeGreaterThanOrEqual(CHECKPOINTED);
        rows.push(outcome.rows);
      }
    }
    // The whole WAL gives every commit back.
    expect(openCut('wal-whole', {})).toEqual({ kind: 'consistent', rows: COMMITTED });
    console.log(
      `[faults] ${offsets.length} WAL cuts: rows recovered between ${Math.min(...rows)} and ${Math.max(...rows)}`,
    );
  });

  it('db file cut anywhere: a clear JournalError, or a consistent journal with every commit — never silent loss', () => {
    const dbSize = statSync(join(root, 'snapshot.db')).size;
    const offsets = [1, 99, 100, 4096, dbSize - 1, ...Array.from({ length: 30 }, () => random.int(1, dbSize - 1))];
    const tally: Record<string, number> = {};
    const silent: string[] = [];
    for (const [n, db] of offsets.entries()) {
      for (const wal of [undefined, 0]) {
        const outcome = openCut(`db-${n}-${wal ?? 'full'}`, { db, ...(wal === undefined ? {} : { wal }) });
        const label = `${outcome.kind === 'consistent' ? outcome.rows : outcome.code}:wal-${wal ?? 'whole'}`;
        tally[label] = (tally[label] ?? 0) + 1;
        if (outcome.kind === 'journal_error') expect(outcome.code, label).toBe('corrupt');
        // Pages that held commits are gone: opening must not pass the damage off as a smaller, sound journal.
        if (outcome.kind === 'consistent' && outcome.rows !== (wal === 0 ? CHECKPOINTED : COMMITTED))
          silent.push(`db cut at ${db} of ${dbSize}, wal ${wal ?? 'whole'}: ${outcome.rows} rows`);
      }
    }
    console.log(`[faults] ${offsets.length * 2} db cuts: ${JSON.stringify(tally)}`);
    expect(silent, `silently lost commits (seed ${random.seed})`).toEqual([]);
  });

  it('a db file emptied or cut under its header beside a WAL is refused as corrupt, not taken for a fresh journal', () => {
    // SQLite alone would delete the WAL and start an empty journal: 200 commits gone without a word.
    expect(openCut('db-empty', { db: 0 })).toEqual({ kind: 'journal_error', code: 'corrupt' });
    expect(openCut('db-one-byte', { db: 1 })).toEqual({ kind: 'journal_error', code: 'corrupt' });
    expect(openCut('db-header-cut', { db: 99 })).toEqual({ kind: 'journal_error', code: 'corrupt' });
  });

  it('the daemon refuses a damaged journal at start, and again at the next start: exit 65, a fatal line naming the file', async () => {
    const dbSize = statSync(join(root, 'snapshot.db')).size;
    const path = join(root, 'daemon.db');
    copyFileSync(join(root, 'snapshot.db'), path);
    copyFileSync(join(root, 'snapshot.db-wal'), `${path}-wal`);
    truncateSync(path, Math.floor(dbSize / 2));
    const config = join(root, 'daemon.yaml');
    writeFileSync(
      config,
      `serial:\n  path: ${join(root, 'no-modem')}\nmqtt:\n  url: mqtt://127.0.0.1:1\nstore:\n  path: ${path}\n`,
      { mode: 0o600 },
    );
    // Twice: the first refusal must not leave something a second start would take for a sound (or fresh) journal.
    for (const attempt of [1, 2]) {
      const result = await runCli(['run', '--config', config]);
      expect(result.code, `start ${attempt}`).toBe(EXIT.journal);
      expect(result.stderr).toContain('A damaged journal');
      const fatal = result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { code?: string } })
        .find((line) => line.level === 60);
      expect(fatal?.err?.code, `start ${attempt}`).toBe('corrupt');
      expect(fatal?.msg).toContain(path);
    }
  });
});
