import type Database from 'better-sqlite3';

/**
 * Runs one write with `synchronous = NORMAL`, then puts the connection back to FULL. For marks whose loss on a power
 * cut is harmless: a record marked published that loses its mark is published again with the same id, which the
 * at-least-once contract already allows (README, "The journal's guarantees"). It saves one fsync per message.
 *
 * In WAL mode NORMAL still writes the commit to the WAL in order, it only skips the fsync; the next FULL commit's
 * fsync makes it durable too, and a mark lost with the page cache cannot outlive a later commit that survived
 * (sqlite.org/pragma.html#pragma_synchronous, sqlite.org/wal.html). Inside a transaction it changes nothing: the
 * enclosing commit decides.
 */
export function withoutFsync<T>(db: Database.Database, write: () => T): T {
  if (db.inTransaction) return write();
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
