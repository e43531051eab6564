import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimJournalOrRefuse, holderAlive, thisHolder } from '../../src/daemon/conflicts.js';
import { type JournalHolder, openSqliteJournal } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'm2m-holder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const holder = (over: Partial<JournalHolder>): JournalHolder => ({
  instance: 'lte1',
  base_topic: 'm2m/lte1',
  pid: 4242,
  process_start: '1000',
  hostname: 'gw',
  claimed_at: 0,
  ...over,
});

describe('the journal holder row (one daemon per journal)', () => {
  it('claims a fresh journal, and claims it again for the same process', () => {
    const journal = openSqliteJournal({ path: join(dir, 'a.db') });
    const me = holder({});
    expect(journal.claimHolder(me, () => true)).toBeNull();
    expect(journal.claimHolder({ ...me, claimed_at: 5 }, () => true)).toBeNull();
    journal.close();
  });

  it('returns the live other holder and writes nothing; takes over a stale claim', () => {
    const path = join(dir, 'b.db');
    const first = openSqliteJournal({ path });
    const second = openSqliteJournal({ path });
    expect(first.claimHolder(holder({ pid: 1 }), () => true)).toBeNull();
    const other = holder({ pid: 2, instance: 'lte2', base_topic: 'm2m/lte2' });
    expect(second.claimHolder(other, () => true)).toMatchObject({ pid: 1, instance: 'lte1', base_topic: 'm2m/lte1' });
    // Still the first one's: the refused claim changed nothing.
    expect(second.claimHolder(other, () => true)).toMatchObject({ pid: 1 });
    // The first died (alive says no): the next claim takes the journal over.
    expect(second.claimHolder(other, () => false)).toBeNull();
    expect(first.claimHolder(holder({ pid: 1 }), () => true)).toMatchObject({ pid: 2, instance: 'lte2' });
    first.close();
    second.close();
  });

  it('this process is alive; a pid with another start time (reused) or no process is not', () => {
    const me = thisHolder('lte1', 'm2m/lte1', Date.now());
    expect(holderAlive(me)).toBe(true);
    expect(holderAlive({ ...me, process_start: `${me.process_start}1` })).toBe(false);
    expect(holderAlive({ ...me, pid: 2 ** 22 + 1 })).toBe(false);
    // Another host's claim (a journal on shared storage) cannot be checked from here: it counts as alive.
    expect(holderAlive({ ...me, hostname: 'elsewhere', pid: 2 ** 22 + 1 })).toBe(true);
  });

  it('refuses in one sentence naming the holder and the key', () => {
    const path = join(dir, 'c.db');
    const first = openSqliteJournal({ path });
    const second = openSqliteJournal({ path });
    const me = thisHolder('lte1', 'm2m/lte1', Date.now());
    claimJournalOrRefuse(first, me);
    // Another daemon of this host: a live process (this one) recorded under another pid's identity cannot be faked,
    // so record this process under another instance and claim as a made-up second process.
    expect(() => claimJournalOrRefuse(second, { ...me, pid: me.pid + 1, instance: 'lte2' })).toThrow(
      `journal ${path} is in use by m2m-bridge instance lte1 (pid ${me.pid}, base topic m2m/lte1); give this instance its own store.path`,
    );
    first.close();
    second.close();
  });
});
