import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteJournal, type SqliteJournal } from '../../src/store/index.js';
import { recordFigures } from './results.js';

/**
 * Journal commit cost per message and SD-card wear: bytes written per
 * message, from /proc/self/io (wchar: bytes handed to write(); write_bytes: bytes the kernel sent to the block
 * device) and from the growth of the database + WAL files. Every commit is fsynced (WAL, synchronous=FULL).
 *
 * Run: node node_modules/vitest/vitest.mjs run --config test/bench/vitest.bench.config.ts test/bench/journal.bench.ts
 */

const INBOUND = 2000;
const REPLIES = 500;

function io(): { wchar: number; write_bytes: number } {
  if (!existsSync('/proc/self/io')) return { wchar: Number.NaN, write_bytes: Number.NaN };
  const fields = Object.fromEntries(
    readFileSync('/proc/self/io', 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]),
  );
  return { wchar: Number(fields.wchar), write_bytes: Number(fields.write_bytes) };
}

const fileBytes = (path: string) =>
  [path, `${path}-wal`].reduce((sum, p) => sum + (existsSync(p) ? statSync(p).size : 0), 0);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface Row {
  operation: string;
  count: number;
  commits_each: number;
  p50_ms: string;
  p99_ms: string;
  per_second: string;
  wchar_per_item: string;
  device_bytes_per_item: string;
}

function measure(operation: string, count: number, commitsEach: number, step: (i: number) => void): Row {
  const times: number[] = [];
  const before = io();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    step(i);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const after = io();
  times.sort((a, b) => a - b);
  return {
    operation,
    count,
    commits_each: commitsEach,
    p50_ms: percentile(times, 50).toFixed(3),
    p99_ms: percentile(times, 99).toFixed(3),
    per_second: (count / elapsedS).toFixed(0),
    wchar_per_item: ((after.wchar - before.wchar) / count).toFixed(0),
    device_bytes_per_item: ((after.write_bytes - before.write_bytes) / count).toFixed(0),
  };
}

describe('journal commit cost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'm2m-journal-bench-'));
  const path = join(dir, 'journal.db');
  let journal: SqliteJournal;
  afterAll(() => {
    journal?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures inbound commands, replies, commits per second and bytes written', () => {
    journal = openSqliteJournal({ path });
    const payload = (i: number) =>
      JSON.stringify({
        id: `sms_${i.toString(16).padStart(32, '0')}`,
        sid: null,
        mode: 'text',
        body: 'set interval 60; report temperature and battery'.slice(0, 20 + (i % 28)),
        from: '2936',
        sent_at: '2026-11-27T17:29:58+01:00',
        received_at: '2026-11-27T16:30:00.000Z',
        parts: 1,
        partial: false,
      });
    // Warm-up: page cache, statement cache, WAL file creation.
    for (let i = 0; i < 100; i++) {
      journal.recordInbound({ key: `warm-${i}`, kind: 'command', sender: '2936', payload: payload(i), publish: true });
    }
    const sizeBefore = fileBytes(path);
    const rows: Row[] = [];
    rows.push(
      measure('inbound: record (1 commit)', INBOUND, 1, (i) => {
        journal.recordInbound({ key: `in-${i}`, kind: 'command', sender: '2936', payload: payload(i), publish: true });
      }),
    );
    rows.push(
      measure('inbound: mark published on PUBACK (1 commit)', INBOUND, 1, (i) => {
        journal.markPublished(`in-${i}`);
      }),
    );
    rows.push(
      measure('inbound: duplicate re-read (no write)', INBOUND, 0, (i) => {
        journal.recordInbound({ key: `in-${i}`, kind: 'command', sender: '2936', payload: payload(i), publish: true });
      }),
    );
    const sizeAfterInbound = fileBytes(path);
    rows.push(
      measure('reply: enqueue → sending → part sent → sent (4 commits)', REPLIES, 4, (i) => {
        const { entry } = journal.enqueueReply({
          transaction: `t-${i}`,
          destination: '2936',
          mode: 'text',
          body: `ok ${i}`,
          parts: 1,
        });
        journal.markSending(entry.id);
        journal.recordPartSent(entry.id, 0, i % 256);
        journal.markSent(entry.id);
      }),
    );
    rows.push(
      measure('reply: status report delivered + 3 status events acked (4 commits)', REPLIES, 4, (i) => {
        journal.applyStatusReport({ message_reference: i % 256, outcome: 'delivered' });
        for (const event of journal.listUnpublishedStatus(3)) journal.markStatusPublished(event.seq);
      }),
    );

    console.log(`\njournal commit cost (${path}, WAL, synchronous=FULL, page size 4096)\n`);
    console.table(rows);
    const growth = (sizeAfterInbound - sizeBefore) / INBOUND;
    console.log(`database + WAL growth per inbound command: ${growth.toFixed(0)} bytes`);
    console.log(
      'wchar = bytes given to write() (WAL frames of 4 KiB pages + checkpoints); device bytes = what reached the disk.',
    );

    const [record, , , reply] = rows;
    recordFigures('journal', [
      {
        measure: 'journal: inbound command recorded (1 fsynced commit)',
        value: `${record!.per_second} commits/s`,
        reference: `p50 ${record!.p50_ms} ms, p99 ${record!.p99_ms} ms per commit`,
        ratio: `${record!.device_bytes_per_item} device bytes/command`,
      },
      {
        measure: 'journal: reply lifecycle (4 fsynced commits)',
        value: `${(Number(reply!.per_second) * 4).toFixed(0)} commits/s`,
        reference: `${reply!.per_second} replies/s; p50 ${reply!.p50_ms} ms per reply`,
        ratio: '',
      },
    ]);
    expect(journal.counts()).toMatchObject({ inbox_unpublished: 100, outbox_sending: 0 });
    expect(journal.history({ direction: 'outbound', limit: 1 })[0]?.entry).toMatchObject({ state: expect.any(String) });
  });
});
