import type Database from 'better-sqlite3';
import { JournalError } from './errors.js';

/**
 * Schema migrations, applied in order inside one transaction each; `PRAGMA user_version` holds the number of
 * migrations applied. Append only: never edit a migration that has shipped, add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: inbox, parts, outbox, reply parts, status reports not matched yet, status events. Every index costs one more 4 KiB page per commit (SD-card
  // wear, see test/bench/journal.bench.ts), so there are only the ones hot paths need, and no AUTOINCREMENT (it
  // rewrites sqlite_sequence on every insert; plain INTEGER PRIMARY KEY is still max+1).
  `
  CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('command', 'rejected')),
    sender TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('received', 'published', 'kept')),
    received_at INTEGER NOT NULL,
    published_at INTEGER
  );
  CREATE INDEX inbox_unpublished ON inbox (seq) WHERE state = 'received';

  CREATE TABLE parts (
    id INTEGER PRIMARY KEY,
    part_key TEXT NOT NULL UNIQUE,
    group_key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    payload TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    consumed_by TEXT,
    consumed_at INTEGER
  );
  CREATE INDEX parts_pending ON parts (group_key, seq) WHERE consumed_by IS NULL;

  CREATE TABLE outbox (
    rowid_ INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    dedupe_key TEXT UNIQUE,
    transaction_ TEXT,
    destination TEXT NOT NULL,
    mode TEXT NOT NULL CHECK (mode IN ('text', 'binary')),
    body TEXT NOT NULL,
    parts INTEGER NOT NULL CHECK (parts >= 1),
    state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    error_code TEXT,
    error_message TEXT
  );
  CREATE INDEX outbox_queued ON outbox (next_attempt_at, rowid_) WHERE state = 'queued';

  CREATE TABLE reply_parts (
    reply_rowid INTEGER NOT NULL REFERENCES outbox (rowid_) ON DELETE CASCADE,
    part_index INTEGER NOT NULL,
    message_reference INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    delivered_at INTEGER,
    failed_code TEXT,
    failed_message TEXT,
    PRIMARY KEY (reply_rowid, part_index)
  );
  CREATE INDEX reply_parts_mr ON reply_parts (message_reference, sent_at);

  CREATE TABLE unmatched_reports (
    id INTEGER PRIMARY KEY,
    message_reference INTEGER NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    error_code TEXT,
    error_message TEXT,
    at INTEGER NOT NULL
  );
  CREATE INDEX unmatched_reports_mr ON unmatched_reports (message_reference, at);

  CREATE TABLE status_events (
    seq INTEGER PRIMARY KEY,
    reply_id TEXT NOT NULL,
    transaction_ TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
    message_reference INTEGER,
    error_code TEXT,
    error_message TEXT,
    at INTEGER NOT NULL,
    published_at INTEGER
  );
  CREATE INDEX status_unpublished ON status_events (seq) WHERE published_at IS NULL;
  `,
  // 2: a status event published again for a duplicate command/send (Journal.repeatStatus) is marked, so observers
  // (metrics, `status`) do not count the same outcome twice. A reply part whose +CMGS answer carried no reference is
  // stored with message_reference -1 (UNKNOWN_REFERENCE in rows.ts): no status report (TP-MR 0..255) can match it.
  `
  ALTER TABLE status_events ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0;
  `,
  // 3: which daemon holds the journal (holder.ts): one row, claimed under BEGIN IMMEDIATE at start, so a second
  // daemon configured with the same store.path refuses to start instead of sharing the file.
  `
  CREATE TABLE holder (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    instance TEXT,
    base_topic TEXT NOT NULL,
    pid INTEGER NOT NULL,
    process_start TEXT NOT NULL,
    hostname TEXT NOT NULL,
    claimed_at INTEGER NOT NULL
  );
  `,
  // 4: the transport a command came on and a reply goes out on: `sms` (every row before this migration) or `ip`
  // (Super SIM IP Commands over UDP). The SMS sender takes only `sms` replies from the queue, the IP sender only `ip`.
  `
  ALTER TABLE inbox ADD COLUMN transport TEXT NOT NULL DEFAULT 'sms' CHECK (transport IN ('sms', 'ip'));
  ALTER TABLE outbox ADD COLUMN transport TEXT NOT NULL DEFAULT 'sms' CHECK (transport IN ('sms', 'ip'));
  `,
  // 5: SIM PINs the SIM refused (refused-pins.ts), so a restart does not send the same wrong PIN again and burn
  // another of its three tries. Only a salted SHA-256 of the PIN is kept, never the PIN; `sim_id` is the SIM's
  // ICCID (`iccid:…`), or the modem's IMEI (`imei:…`) when the card could not be read.
  `
  CREATE TABLE refused_pins (
    id INTEGER PRIMARY KEY,
    sim_id TEXT NOT NULL,
    salt BLOB NOT NULL,
    pin_sha256 BLOB NOT NULL,
    refused_at INTEGER NOT NULL
  );
  CREATE INDEX refused_pins_sim ON refused_pins (sim_id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a file from a newer build rather than guessing at its tables; call before changing anything in it. */
export function refuseNewerSchema(db: Database.Database, path: string): void {
  const current = userVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new JournalError(
      'schema_too_new',
      `journal ${path}: schema version ${current} was written by a newer m2m-bridge (this build knows ${SCHEMA_VERSION})`,
    );
  }
}

/** Brings the file up to SCHEMA_VERSION; refuses a file from a newer build. */
export function migrate(db: Database.Database, path: string, readonly: boolean): void {
  refuseNewerSchema(db, path);
  const current = userVersion(db);
  if (current === SCHEMA_VERSION) return;
  if (readonly) {
    throw new JournalError(
      'schema_outdated',
      `journal ${path}: schema version ${current} needs migrating to ${SCHEMA_VERSION}; start the daemon once`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    const sql = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
