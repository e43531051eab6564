import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { PruneResult, StorageUsage } from './journal.js';

/**
 * Retention work on the SQLite journal in small steps (the daemon's retention module calls these between event-loop
 * turns, since better-sqlite3 is synchronous and a long DELETE or VACUUM would stall the bridge).
 *
 * Space comes back to the file system through `PRAGMA auto_vacuum = INCREMENTAL`, set when the file is created
 * (it must precede `journal_mode = WAL` and the first table: sqlite.org/pragma.html#pragma_auto_vacuum), then
 * `PRAGMA incremental_vacuum(N)` a few pages at a time, and a passive checkpoint that lets the main file shrink.
 */

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function storageUsage(db: Database.Database, path: string): StorageUsage {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  const freePages = db.pragma('freelist_count', { simple: true }) as number;
  const dbBytes = fileBytes(path);
  const walBytes = fileBytes(`${path}-wal`);
  return {
    db_bytes: dbBytes,
    wal_bytes: walBytes,
    total_bytes: dbBytes + walBytes,
    used_bytes: (pageCount - freePages) * pageSize,
    free_bytes: freePages * pageSize,
    incremental_vacuum: (db.pragma('auto_vacuum', { simple: true }) as number) === 2,
  };
}

/**
 * Deletes at most `limit` of the oldest finished records per table older than `olderThan`. Finished: inbox records
 * published or kept, consumed multipart parts, replies sent/delivered/failed (a `sent` reply is out on the network;
 * only its delivery report can still come, and after the retention age it no longer matters), status events already
 * published. Never: a command not yet published, a reply queued or sending, a status not yet published.
 * Ordered by primary key (arrival order) so the oldest go first without an extra index (each index costs pages per
 * commit: see schema.ts).
 */
export function pruneBatch(db: Database.Database, olderThan: number, limit: number): PruneResult {
  const n = Math.max(1, Math.floor(limit));
  return db
    .transaction(
      (): PruneResult => ({
        inbox: db
          .prepare(
            `DELETE FROM inbox WHERE seq IN (SELECT seq FROM inbox WHERE state IN ('published', 'kept')
             AND received_at < ? ORDER BY seq LIMIT ?)`,
          )
          .run(olderThan, n).changes,
        parts: db
          .prepare(
            `DELETE FROM parts WHERE id IN (SELECT id FROM parts WHERE consumed_by IS NOT NULL AND consumed_at < ?
             ORDER BY id LIMIT ?)`,
          )
          .run(olderThan, n).changes,
        outbox: db
          .prepare(
            `DELETE FROM outbox WHERE rowid_ IN (SELECT rowid_ FROM outbox WHERE state IN ('sent', 'delivered', 'failed')
             AND updated_at < ? ORDER BY rowid_ LIMIT ?)`,
          )
          .run(olderThan, n).changes,
        status_events: db
          .prepare(
            `DELETE FROM status_events WHERE seq IN (SELECT seq FROM status_events WHERE published_at IS NOT NULL
             AND at < ? ORDER BY seq LIMIT ?)`,
          )
          .run(olderThan, n).changes,
      }),
    )
    .immediate();
}

/**
 * Returns up to `maxPages` free pages to the file system, then checkpoints passively (never waits for readers such as
 * `m2m-bridge history`) so the main file can shrink. Returns the pages released (0 on a file created without
 * incremental auto-vacuum: its free pages are still reused by later writes, the file just does not shrink).
 */
export function compact(db: Database.Database, maxPages: number): number {
  const before = db.pragma('freelist_count', { simple: true }) as number;
  if (before > 0 && (db.pragma('auto_vacuum', { simple: true }) as number) === 2) {
    db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(maxPages))})`);
  }
  db.pragma('wal_checkpoint(PASSIVE)');
  return before - (db.pragma('freelist_count', { simple: true }) as number);
}

/** Journals up to this size are converted at open; one VACUUM rewrites the file (about a second on an SD card). */
const CONVERT_UP_TO_BYTES = 16 * 1024 * 1024;

/**
 * A journal created before incremental auto-vacuum was set never gives space back. Converting it takes one VACUUM
 * (sqlite.org/pragma.html#pragma_auto_vacuum: "changes … after the first table is created require a VACUUM"), which
 * blocks while it rewrites the file, so it runs only at open (before the daemon reads the modem or MQTT) and only
 * for a small file; a larger one keeps working, its free pages reused rather than returned. Returns whether the file
 * can now return space. Failures (e.g. a reader holding it open) leave the file as it was.
 */
export function ensureIncrementalVacuum(db: Database.Database): boolean {
  if ((db.pragma('auto_vacuum', { simple: true }) as number) === 2) return true;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pageCount = db.pragma('page_count', { simple: true }) as number;
  if (pageSize * pageCount > CONVERT_UP_TO_BYTES) return false;
  try {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  } catch {
    return false;
  }
  return (db.pragma('auto_vacuum', { simple: true }) as number) === 2;
}
