import type Database from 'better-sqlite3';

/**
 * Which daemon holds a journal. Two daemons writing one journal would publish each other's commands and send each
 * other's replies through the wrong modem, so each claims the file at start and a second one refuses. The claim uses
 * SQLite's own write lock (BEGIN IMMEDIATE): of two daemons starting at the same moment exactly one sees the row
 * free. The row outlives a crash, so it names the process (pid and kernel start time, which pid reuse cannot fake);
 * a claim whose process is gone is stale and taken over.
 */
export interface JournalHolder {
  instance: string | null;
  base_topic: string;
  pid: number;
  /** /proc/<pid>/stat field 22 (start time in clock ticks since boot): with the pid, one process. */
  process_start: string;
  hostname: string;
  claimed_at: number;
}

/** Whether a recorded holder is still running (conflicts.ts answers this from /proc). */
export type HolderAlive = (holder: JournalHolder) => boolean;

const sameProcess = (a: JournalHolder, b: JournalHolder) =>
  a.pid === b.pid && a.process_start === b.process_start && a.hostname === b.hostname;

/** Claims the journal for `me`; returns the other live holder instead when there is one (nothing is written then). */
export function claimJournal(db: Database.Database, me: JournalHolder, alive: HolderAlive): JournalHolder | null {
  return db
    .transaction(() => {
      const row = db.prepare('SELECT * FROM holder WHERE id = 1').get() as (JournalHolder & { id: number }) | undefined;
      if (row && !sameProcess(row, me) && alive(row)) {
        const { id: _id, ...holder } = row;
        return holder;
      }
      db.prepare(
        `INSERT INTO holder (id, instance, base_topic, pid, process_start, hostname, claimed_at)
         VALUES (1, @instance, @base_topic, @pid, @process_start, @hostname, @claimed_at)
         ON CONFLICT (id) DO UPDATE SET instance = excluded.instance, base_topic = excluded.base_topic,
           pid = excluded.pid, process_start = excluded.process_start, hostname = excluded.hostname,
           claimed_at = excluded.claimed_at`,
      ).run(me);
      return null;
    })
    .immediate();
}
