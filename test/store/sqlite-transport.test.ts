import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalError, openSqliteJournal, SCHEMA_VERSION, type SqliteJournal } from '../../src/store/index.js';
import { MIGRATIONS } from '../../src/store/schema.js';

// The transport column (migration 3): which way a command came and a reply goes, SMS or Super SIM IP Commands.
let dir: string;
let journal: SqliteJournal | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'm2m-journal-transport-'));
});
afterEach(() => {
  journal?.close();
  journal = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const reply = (transport?: 'sms' | 'ip') => ({
  transaction: null,
  destination: transport === 'ip' ? '100.64.0.1:6969' : '000',
  mode: 'text' as const,
  body: 'pong',
  parts: 1,
  ...(transport ? { transport } : {}),
});

describe('journal transport', () => {
  it('a version-2 journal gains the column; every old row is sms and stays where it was', () => {
    const path = join(dir, 'j.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]!);
    raw.exec(MIGRATIONS[1]!);
    raw.pragma('user_version = 2');
    raw
      .prepare(
        `INSERT INTO inbox (key, kind, sender, payload, state, received_at) VALUES ('k1', 'command', '000', '{}', 'received', 1)`,
      )
      .run();
    raw
      .prepare(
        `INSERT INTO outbox (id, destination, mode, body, parts, state, next_attempt_at, accepted_at, updated_at)
           VALUES ('r1', '000', 'text', 'pong', 1, 'queued', 1, 1, 1)`,
      )
      .run();
    raw.close();
    journal = openSqliteJournal({ path });
    expect(journal.settings().schema_version).toBe(SCHEMA_VERSION);
    expect(journal.getInbound('k1')).toMatchObject({ transport: 'sms', state: 'received' });
    expect(journal.nextDueReply(2)).toMatchObject({ id: 'r1', transport: 'sms' });
    expect(journal.nextDueReply(2, 'ip')).toBeNull();
  });

  it('sms and ip replies queue separately: each sender sees only its own', () => {
    journal = openSqliteJournal({ path: join(dir, 'j.db') });
    const sms = journal.enqueueReply(reply()).entry;
    const ip = journal.enqueueReply(reply('ip')).entry;
    expect(ip).toMatchObject({ transport: 'ip', destination: '100.64.0.1:6969', state: 'queued' });
    expect(journal.nextDueReply(Date.now() + 1)?.id).toBe(sms.id);
    expect(journal.nextDueReply(Date.now() + 1, 'ip')?.id).toBe(ip.id);
    journal.markSending(sms.id);
    expect(journal.nextDueReply(Date.now() + 1)).toBeNull();
    expect(journal.nextReplyDueAt()).toBeNull();
    expect(journal.nextReplyDueAt('ip')).not.toBeNull();
  });

  it('an inbound IP Command is recorded as ip; a bad transport is refused and nothing is written', () => {
    journal = openSqliteJournal({ path: join(dir, 'j.db') });
    const input = { key: 'ip-1', kind: 'command' as const, sender: '100.64.0.1:6969', payload: '{}', publish: true };
    expect(journal.recordInbound({ ...input, transport: 'ip' }).entry.transport).toBe('ip');
    expect(() => journal!.recordInbound({ ...input, key: 'x', transport: 'tcp' as never })).toThrow(JournalError);
    expect(() => journal!.enqueueReply({ ...reply(), transport: 'tcp' as never })).toThrow(/transport/);
    expect(journal.getInbound('x')).toBeNull();
    expect(journal.counts().outbox_queued).toBe(0);
  });
});
