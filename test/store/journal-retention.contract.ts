import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/store/index.js';
import type { JournalFactory, JournalHarness } from './journal.contract.js';
import { command, reply } from './journal-inputs.js';

/**
 * The retention part of the journal contract (small steps for small SD cards): batch pruning that never touches work
 * still to be published or sent, disk-use figures, and compaction. journalContract runs it for every implementation.
 */

export function journalRetentionContract(name: string, factory: JournalFactory): void {
  describe(`Journal contract, retention: ${name}`, () => {
    let time = 1_700_000_000_000;
    const clock = { now: () => time };
    let harness: JournalHarness;
    let journal: Journal;

    beforeEach(() => {
      time = 1_700_000_000_000;
      harness = factory(clock);
      journal = harness.journal;
    });
    afterEach(() => harness.cleanup());

    it('prunes in small batches, oldest first, and never what is unpublished, queued or sending', () => {
      for (let i = 0; i < 5; i++) {
        journal.recordInbound(command(`done-${i}`));
        journal.markPublished(`done-${i}`);
        time += 1;
      }
      journal.recordInbound(command('waiting'));
      const queued = journal.enqueueReply(reply()).entry.id;
      const sending = journal.enqueueReply(reply()).entry.id;
      journal.markSending(sending);
      const sent = journal.enqueueReply(reply()).entry.id;
      journal.markSending(sent);
      journal.recordPartSent(sent, 0, 7);
      journal.markSent(sent);
      time += 1000;
      // At most 2 per table: two of the five finished commands, and the one sent reply.
      expect(journal.pruneBatch(time, 2)).toMatchObject({ inbox: 2, outbox: 1, status_events: 0 });
      expect(journal.getInbound('done-0')).toBeNull();
      expect(journal.getInbound('done-1')).toBeNull();
      expect(journal.getInbound('done-2')).not.toBeNull();
      // The rest of the finished inbox; the status events are not published yet, so they stay.
      expect(journal.pruneBatch(time, 10)).toMatchObject({ inbox: 3, outbox: 0, status_events: 0 });
      expect(journal.getInbound('waiting')?.state).toBe('received');
      expect(journal.getReply(queued)?.state).toBe('queued');
      expect(journal.getReply(sending)?.state).toBe('sending');
      expect(journal.getReply(sent)).toBeNull();
      expect(journal.listUnpublishedStatus().length).toBeGreaterThan(0);
      expect(journal.pruneBatch(time, 10)).toEqual({ inbox: 0, parts: 0, outbox: 0, status_events: 0 });
    });

    it('keeps records younger than the cut-off in a batch prune', () => {
      journal.recordInbound(command('young'));
      journal.markPublished('young');
      expect(journal.pruneBatch(time - 1, 10).inbox).toBe(0);
      expect(journal.getInbound('young')).not.toBeNull();
    });

    it('reports its disk use, and gives space back after pruning and compacting', () => {
      const empty = journal.storageUsage();
      expect(empty.total_bytes).toBe(empty.db_bytes + empty.wal_bytes);
      expect(empty.used_bytes).toBeGreaterThan(0);
      const body = 'x'.repeat(2000);
      for (let i = 0; i < 300; i++) {
        journal.recordInbound(command(`big-${i}`, { payload: body }));
        journal.markPublished(`big-${i}`);
      }
      const full = journal.storageUsage();
      expect(full.used_bytes).toBeGreaterThan(empty.used_bytes + 300 * 2000);
      time += 1000;
      while (journal.pruneBatch(time, 100).inbox > 0);
      let released = 0;
      for (let step = journal.compact(64); step > 0; step = journal.compact(64)) released += step;
      const after = journal.storageUsage();
      expect(after.used_bytes).toBeLessThan(full.used_bytes - 300 * 2000);
      if (after.incremental_vacuum) {
        expect(released).toBeGreaterThan(0);
        expect(after.free_bytes).toBe(0);
      }
    });
  });
}
