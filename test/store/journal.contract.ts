import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Journal } from '../../src/store/index.js';
import { JournalError } from '../../src/store/index.js';
import { command, reply } from './journal-inputs.js';
import { journalRetentionContract } from './journal-retention.contract.js';

/**
 * The journal contract suite (like MQTT.js's abstract_store): every Journal implementation runs it through a factory.
 * `open` creates a fresh journal on fresh storage; `reopen` closes the current instance and opens the same storage
 * again, as a restart of the daemon would.
 */
export interface JournalHarness {
  journal: Journal;
  reopen(): Journal;
  cleanup(): void;
}

export type JournalFactory = (clock: { now: () => number }) => JournalHarness;

function expectJournalError(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(JournalError);
  expect((caught as JournalError).code).toBe(code);
}

export function journalContract(name: string, factory: JournalFactory): void {
  journalRetentionContract(name, factory);
  describe(`Journal contract: ${name}`, () => {
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

    const restart = () => {
      journal = harness.reopen();
    };

    describe('inbox', () => {
      it('records a command as received and lists it for publishing', () => {
        const { entry, created } = journal.recordInbound(command('a'));
        expect(created).toBe(true);
        expect(entry).toMatchObject({
          key: 'a',
          kind: 'command',
          state: 'received',
          received_at: time,
          published_at: null,
        });
        expect(journal.listUnpublished().map((e) => e.key)).toEqual(['a']);
      });

      it('returns the existing row when the same message is recorded again, so it is published once', () => {
        const first = journal.recordInbound(command('dup'));
        time += 5000;
        const second = journal.recordInbound(command('dup', { payload: '{"changed":true}' }));
        expect(second.created).toBe(false);
        expect(second.entry).toEqual(first.entry);
        journal.markPublished('dup');
        expect(journal.recordInbound(command('dup')).entry.state).toBe('published');
        expect(journal.listUnpublished()).toEqual([]);
      });

      it('lists unpublished records in journal order and drops them only on markPublished', () => {
        for (const key of ['c1', 'c2', 'c3']) journal.recordInbound(command(key));
        time += 10;
        const published = journal.markPublished('c2');
        expect(published).toMatchObject({ state: 'published', published_at: time });
        expect(journal.listUnpublished().map((e) => e.key)).toEqual(['c1', 'c3']);
        expect(journal.listUnpublished(1).map((e) => e.key)).toEqual(['c1']);
        // PUBACK twice (e.g. after a reconnect) keeps the first time.
        time += 10;
        expect(journal.markPublished('c2').published_at).toBe(time - 10);
      });

      it('refuses to mark an unknown record published', () => {
        expectJournalError(() => journal.markPublished('nope'), 'not_found');
      });

      it('keeps rejected SMS as history, published or not', () => {
        journal.recordInbound(command('r1', { kind: 'rejected', sender: '+15550001', publish: true }));
        journal.recordInbound(command('r2', { kind: 'rejected', sender: '+15550002', publish: false }));
        expect(journal.listUnpublished().map((e) => e.key)).toEqual(['r1']);
        expect(journal.getInbound('r2')).toMatchObject({ kind: 'rejected', state: 'kept' });
        expect(journal.history({ direction: 'inbound' })).toHaveLength(2);
      });

      it('still has unpublished records, byte for byte, after a restart', () => {
        journal.recordInbound(command('p1'));
        journal.recordInbound(command('p2', { payload: '{"body":"ünïcødé ✓"}' }));
        journal.markPublished('p1');
        restart();
        expect(journal.listUnpublished()).toEqual([
          expect.objectContaining({ key: 'p2', payload: '{"body":"ünïcødé ✓"}' }),
        ]);
        expect(journal.getInbound('p1')?.state).toBe('published');
        expect(journal.recordInbound(command('p2')).created).toBe(false);
      });

      it('rejects a record without a key', () => {
        expectJournalError(() => journal.recordInbound(command('')), 'invalid_input');
      });
    });

    describe('multipart parts', () => {
      const part = (seq: number, key = `g1/${seq}`) => ({
        part_key: key,
        group_key: 'g1',
        seq,
        payload: `{"seq":${seq}}`,
      });

      it('keeps parts per message in sequence order, ignoring a part handed over twice', () => {
        journal.recordPart(part(2));
        time += 100;
        expect(journal.recordPart(part(1)).created).toBe(true);
        expect(journal.recordPart(part(2)).created).toBe(false);
        expect(journal.pendingParts('g1').map((p) => p.seq)).toEqual([1, 2]);
        expect(journal.pendingGroups()).toEqual([{ group_key: 'g1', parts: 2, first_received_at: time - 100 }]);
      });

      it('records the assembled message and consumes its parts in one step', () => {
        const ids = [journal.recordPart(part(1)).entry.id, journal.recordPart(part(2)).entry.id];
        const done = journal.completeParts(ids, command('whole'));
        expect(done.created).toBe(true);
        expect(journal.pendingParts('g1')).toEqual([]);
        expect(journal.pendingGroups()).toEqual([]);
        expect(journal.listUnpublished().map((e) => e.key)).toEqual(['whole']);
        // The modem hands part 1 over again after the message was published: recognised, not a new message.
        const again = journal.recordPart(part(1));
        expect(again.created).toBe(false);
        expect(again.entry.consumed_by).toBe('whole');
        expect(journal.completeParts(ids, command('whole')).created).toBe(false);
      });

      it('loses no part across a restart', () => {
        journal.recordPart(part(1));
        restart();
        journal.recordPart(part(3));
        expect(journal.pendingParts('g1').map((p) => [p.seq, p.payload])).toEqual([
          [1, '{"seq":1}'],
          [3, '{"seq":3}'],
        ]);
      });

      it('rejects an impossible sequence number', () => {
        expectJournalError(() => journal.recordPart(part(0)), 'invalid_input');
      });
    });

    describe('outbox', () => {
      it('queues a reply with a queued status event, idempotent on its dedupe key', () => {
        const first = journal.enqueueReply(reply({ dedupe_key: 'mqtt:7' }));
        expect(first.created).toBe(true);
        expect(first.entry).toMatchObject({
          state: 'queued',
          attempts: 0,
          transaction: 't-1',
          message_references: [null],
          sent_parts: [false],
          delivered_parts: [false],
          error: null,
          next_attempt_at: time,
        });
        const second = journal.enqueueReply(reply({ dedupe_key: 'mqtt:7', body: 'other' }));
        expect(second).toEqual({ entry: first.entry, created: false });
        expect(journal.listUnpublishedStatus().map((e) => [e.reply_id, e.status])).toEqual([
          [first.entry.id, 'queued'],
        ]);
        expect(journal.enqueueReply(reply()).entry.id).not.toBe(first.entry.id);
      });

      it('hands out due replies oldest first and says when the next one is due', () => {
        const a = journal.enqueueReply(reply({ body: 'a' })).entry;
        time += 1;
        const b = journal.enqueueReply(reply({ body: 'b' })).entry;
        expect(journal.nextDueReply(time)?.id).toBe(a.id);
        journal.markSending(a.id);
        journal.scheduleRetry(a.id, time + 60_000, { code: 'cms_500', message: 'unknown error' });
        expect(journal.nextDueReply(time)?.id).toBe(b.id);
        journal.markSending(b.id);
        expect(journal.nextDueReply(time)).toBeNull();
        expect(journal.nextReplyDueAt()).toBe(time + 60_000);
        expect(journal.nextDueReply(time + 60_000)?.id).toBe(a.id);
      });

      it('goes queued → sending → sent → delivered with every part acknowledged by a status report', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2, body: 'x'.repeat(200) })).entry;
        expect(journal.markSending(id)).toMatchObject({ state: 'sending', attempts: 1 });
        journal.recordPartSent(id, 0, 41);
        expectJournalError(() => journal.markSent(id), 'invalid_state');
        journal.recordPartSent(id, 1, 42);
        time += 5;
        expect(journal.markSent(id)).toMatchObject({ state: 'sent', message_references: [41, 42], updated_at: time });
        expect(journal.applyStatusReport({ message_reference: 41, outcome: 'delivered' })).toMatchObject({
          state: 'sent',
          delivered_parts: [true, false],
        });
        expect(journal.applyStatusReport({ message_reference: 42, outcome: 'delivered' })?.state).toBe('delivered');
        const events = journal.listUnpublishedStatus().map((e) => [e.status, e.message_reference]);
        expect(events).toEqual([
          ['queued', null],
          ['sent', 41],
          ['delivered', 41],
        ]);
      });

      it('refuses state changes the state machine does not allow', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        expectJournalError(() => journal.markSent(id), 'invalid_state');
        expectJournalError(() => journal.recordPartSent(id, 0, 1), 'invalid_state');
        journal.markFailed(id, { code: 'x', message: 'y' });
        expectJournalError(() => journal.markSending(id), 'invalid_state');
        expectJournalError(() => journal.markSending('missing'), 'not_found');
      });

      it('advanceReply records a part and moves the reply on in one step, and changes nothing when applied again', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2, body: 'x'.repeat(200) })).entry;
        journal.markSending(id);
        const first = { sent_part: { index: 0, message_reference: 7 }, next: { state: 'sending' } } as const;
        expect(journal.advanceReply(id, first)).toMatchObject({ state: 'sending', message_references: [7, null] });
        expect(journal.advanceReply(id, first)).toMatchObject({ state: 'sending', message_references: [7, null] });
        const last = { sent_part: { index: 1, message_reference: 8 }, next: { state: 'sent' } } as const;
        expect(journal.advanceReply(id, last)).toMatchObject({ state: 'sent', message_references: [7, 8] });
        // Again (the sender could not tell whether the first write stuck): no second `sent` event.
        expect(journal.advanceReply(id, last)).toMatchObject({ state: 'sent', message_references: [7, 8] });
        expect(journal.listUnpublishedStatus().map((e) => [e.status, e.message_reference])).toEqual([
          ['queued', null],
          ['sent', 7],
        ]);
        // Settled meanwhile (delivered): applying the `sent` advance again still changes nothing.
        journal.applyStatusReport({ message_reference: 7, outcome: 'delivered' });
        journal.applyStatusReport({ message_reference: 8, outcome: 'delivered' });
        expect(journal.advanceReply(id, last).state).toBe('delivered');
        // A reply that went elsewhere than the advance says is refused, not overwritten.
        expectJournalError(
          () => journal.advanceReply(id, { next: { state: 'queued', at: time, error: { code: 'x', message: 'y' } } }),
          'invalid_state',
        );
      });

      it('advanceReply: a part without reference and a failure, a retry keeping the sent part, bad input refused', () => {
        const a = journal.enqueueReply(reply({ transaction: 'a' })).entry.id;
        journal.markSending(a);
        const unknown = { code: 'outcome_unknown', message: 'OK without +CMGS: <mr>' };
        const noReference = {
          sent_part: { index: 0, message_reference: null },
          next: { state: 'failed', error: unknown },
        } as const;
        expect(journal.advanceReply(a, noReference)).toMatchObject({
          state: 'failed',
          sent_parts: [true],
          error: unknown,
        });
        expect(journal.advanceReply(a, noReference).state).toBe('failed');

        const b = journal.enqueueReply(reply({ transaction: 'b', parts: 2, body: 'y'.repeat(200) })).entry.id;
        journal.markSending(b);
        const busy = { code: 'cms_500', message: 'unknown error' };
        const retry = {
          sent_part: { index: 0, message_reference: 3 },
          next: { state: 'queued', at: time + 1000, error: busy },
        } as const;
        expect(journal.advanceReply(b, retry)).toMatchObject({
          state: 'queued',
          sent_parts: [true, false],
          next_attempt_at: time + 1000,
          error: busy,
        });
        expect(journal.advanceReply(b, retry).state).toBe('queued');

        journal.markSending(b);
        expectJournalError(
          () => journal.advanceReply(b, { sent_part: { index: 1, message_reference: 256 }, next: { state: 'sent' } }),
          'invalid_input',
        );
        expectJournalError(
          () => journal.advanceReply(b, { sent_part: { index: 2, message_reference: 1 }, next: { state: 'sent' } }),
          'invalid_input',
        );
        // Refused input left nothing behind: the reply is still sending with one part out.
        expect(journal.getReply(b)).toMatchObject({ state: 'sending', sent_parts: [true, false] });
        expectJournalError(() => journal.advanceReply('missing', { next: { state: 'sent' } }), 'not_found');
      });

      it('keeps sent parts across a retry so only the rest is sent again', () => {
        const { id } = journal.enqueueReply(reply({ parts: 3 })).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 10);
        const retried = journal.scheduleRetry(id, time + 5000, { code: 'cms_512', message: 'network busy' });
        expect(retried).toMatchObject({
          state: 'queued',
          message_references: [10, null, null],
          error: { code: 'cms_512', message: 'network busy' },
          next_attempt_at: time + 5000,
        });
        expect(journal.markSending(id).attempts).toBe(2);
      });

      it('fails a reply with the modem error and publishes the failure', () => {
        const { id } = journal.enqueueReply(reply({ transaction: 'abc' })).entry;
        journal.markSending(id);
        const failed = journal.markFailed(id, { code: 'cms_304', message: 'invalid PDU mode parameter' });
        expect(failed).toMatchObject({ state: 'failed', error: { code: 'cms_304' } });
        const last = journal.listUnpublishedStatus().at(-1);
        expect(last).toMatchObject({
          reply_id: id,
          transaction: 'abc',
          status: 'failed',
          error: { code: 'cms_304', message: 'invalid PDU mode parameter' },
        });
      });

      it('matches a status report to the newest sent reply with that reference and ignores unknown ones', () => {
        const older = journal.enqueueReply(reply({ body: 'old' })).entry.id;
        journal.markSending(older);
        journal.recordPartSent(older, 0, 7);
        journal.markSent(older);
        journal.applyStatusReport({ message_reference: 7, outcome: 'delivered' });
        time += 1000;
        const newer = journal.enqueueReply(reply({ body: 'new' })).entry.id;
        journal.markSending(newer);
        journal.recordPartSent(newer, 0, 7);
        journal.markSent(newer);
        expect(journal.applyStatusReport({ message_reference: 7, outcome: 'pending' })?.state).toBe('sent');
        const failed = journal.applyStatusReport({ message_reference: 7, outcome: 'failed' });
        expect(failed).toMatchObject({ id: newer, state: 'failed', error: { code: 'status_report' } });
        expect(journal.applyStatusReport({ message_reference: 99, outcome: 'delivered' })).toBeNull();
        expect(journal.getReply(older)?.state).toBe('delivered');
      });

      it('keeps a report for part 1 that arrives while part 2 is still being sent', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2 })).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 20);
        expect(journal.applyStatusReport({ message_reference: 20, outcome: 'delivered' })).toMatchObject({
          state: 'sending',
          delivered_parts: [true, false],
        });
        journal.recordPartSent(id, 1, 21);
        expect(journal.markSent(id).state).toBe('sent');
        expect(journal.applyStatusReport({ message_reference: 21, outcome: 'delivered' })?.state).toBe('delivered');
      });

      it('fails a reply when a part is reported undeliverable while the rest is still being sent', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2 })).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 30);
        const error = { code: 'tp_status_65', message: 'incompatible destination' };
        expect(journal.applyStatusReport({ message_reference: 30, outcome: 'failed', error })?.state).toBe('sending');
        journal.recordPartSent(id, 1, 31);
        expect(journal.markSent(id)).toMatchObject({ state: 'failed', error });
        expect(journal.listUnpublishedStatus().map((e) => e.status)).toEqual(['queued', 'sent', 'failed']);
      });

      it('applies a report that arrived before the part reference was recorded, within two minutes', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markSending(id);
        expect(journal.applyStatusReport({ message_reference: 40, outcome: 'delivered' })).toBeNull();
        time += 1000;
        journal.recordPartSent(id, 0, 40);
        expect(journal.markSent(id).state).toBe('delivered');
        expect(journal.listUnpublishedStatus().map((e) => e.status)).toEqual(['queued', 'sent', 'delivered']);
      });

      it('never applies an unmatched report older than two minutes (references wrap at 256)', () => {
        journal.applyStatusReport({ message_reference: 50, outcome: 'failed' });
        time += 121_000;
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 50);
        expect(journal.markSent(id).state).toBe('sent');
      });

      it('after a crash mid-send, fails the reply as interrupted (default policy) and reports it', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markSending(id);
        restart();
        const recovered = journal.recoverInterrupted('fail');
        expect(recovered).toEqual([
          expect.objectContaining({ id, state: 'failed', error: expect.objectContaining({ code: 'interrupted' }) }),
        ]);
        expect(journal.listUnpublishedStatus().at(-1)).toMatchObject({ reply_id: id, status: 'failed' });
        expect(journal.recoverInterrupted('fail')).toEqual([]);
      });

      it('after a crash mid-send, can queue the reply again when the policy is retry', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2 })).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 3);
        restart();
        expect(journal.recoverInterrupted('retry')).toEqual([
          expect.objectContaining({ id, state: 'queued', message_references: [3, null] }),
        ]);
        expect(journal.nextDueReply(time)?.id).toBe(id);
      });

      it('keeps command/status events until the broker acknowledged them, across a restart', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markFailed(id, { code: 'x', message: 'y' });
        const [queued] = journal.listUnpublishedStatus();
        journal.markStatusPublished(queued!.seq);
        journal.markStatusPublished(queued!.seq);
        restart();
        expect(journal.listUnpublishedStatus().map((e) => e.status)).toEqual(['failed']);
        expectJournalError(() => journal.markStatusPublished(987654), 'not_found');
      });

      it('records a part the modem accepted without a reference as sent, with a null reference', () => {
        const { id } = journal.enqueueReply(reply({ parts: 2 })).entry;
        journal.markSending(id);
        expect(journal.recordPartSent(id, 0, null)).toMatchObject({
          state: 'sending',
          message_references: [null, null],
          sent_parts: [true, false],
        });
        // Not sent again after a retry, and the reference survives a restart as unknown, not as "not sent".
        journal.scheduleRetry(id, time, { code: 'cms_500', message: 'unknown error' });
        restart();
        expect(journal.markSending(id)).toMatchObject({ sent_parts: [true, false], message_references: [null, null] });
        journal.recordPartSent(id, 1, 77);
        expect(journal.markSent(id)).toMatchObject({
          state: 'sent',
          message_references: [null, 77],
          sent_parts: [true, true],
        });
        expect(journal.listUnpublishedStatus().map((e) => [e.status, e.message_reference])).toEqual([
          ['queued', null],
          ['sent', null],
        ]);
        // Part 2's report matches; part 1 can never be confirmed, so the reply stays sent rather than delivered.
        expect(journal.applyStatusReport({ message_reference: 77, outcome: 'delivered' })).toMatchObject({
          state: 'sent',
          delivered_parts: [false, true],
        });
        expectJournalError(() => journal.recordPartSent(id, 0, null), 'invalid_state');
      });

      it('refuses a reference outside 0..255 (null is the only way to say "none")', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markSending(id);
        expectJournalError(() => journal.recordPartSent(id, 0, -1), 'invalid_input');
        expectJournalError(() => journal.recordPartSent(id, 0, 256), 'invalid_input');
        expect(journal.getReply(id)?.sent_parts).toEqual([false]);
      });

      it('never matches a status report to a part whose reference is unknown, not even a report kept unmatched', () => {
        journal.applyStatusReport({ message_reference: 0, outcome: 'failed' });
        const { id } = journal.enqueueReply(reply()).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, null);
        expect(journal.markSent(id).state).toBe('sent');
        expect(journal.applyStatusReport({ message_reference: 0, outcome: 'failed' })).toBeNull();
        expect(journal.getReply(id)?.state).toBe('sent');
      });

      it('repeats the latest status of a reply for publishing again, marked as a repeat', () => {
        const { id } = journal.enqueueReply(reply({ transaction: 'dup' })).entry;
        journal.markSending(id);
        journal.recordPartSent(id, 0, 12);
        time += 50;
        journal.markSent(id);
        for (const event of journal.listUnpublishedStatus()) journal.markStatusPublished(event.seq);
        time += 1000;
        const repeated = journal.repeatStatus(id);
        expect(repeated).toMatchObject({
          reply_id: id,
          transaction: 'dup',
          status: 'sent',
          message_reference: 12,
          error: null,
          at: time - 1000,
          repeated: true,
        });
        restart();
        expect(journal.listUnpublishedStatus()).toEqual([repeated]);
        expect(journal.repeatStatus('no-such-reply')).toBeNull();
      });

      it('repeats a failure with its error, and says queued for a reply being sent', () => {
        const a = journal.enqueueReply(reply({ body: 'a' })).entry.id;
        journal.markFailed(a, { code: 'cms_304', message: 'bad PDU' });
        expect(journal.repeatStatus(a)).toMatchObject({ status: 'failed', error: { code: 'cms_304' }, repeated: true });
        const b = journal.enqueueReply(reply({ body: 'b' })).entry.id;
        journal.markSending(b);
        expect(journal.repeatStatus(b)).toMatchObject({ status: 'queued', message_reference: null, repeated: true });
        expect(
          journal
            .listUnpublishedStatus()
            .filter((e) => !e.repeated)
            .map((e) => e.status),
        ).toEqual(['queued', 'failed', 'queued']);
      });

      it('builds the repeat from the reply when its events were pruned', () => {
        const { id } = journal.enqueueReply(reply()).entry;
        for (const event of journal.listUnpublishedStatus()) journal.markStatusPublished(event.seq);
        time += 1000;
        journal.pruneBatch(time, 1000);
        expect(journal.getReply(id)?.state).toBe('queued');
        expect(journal.listUnpublishedStatus()).toEqual([]);
        expect(journal.repeatStatus(id)).toMatchObject({ reply_id: id, status: 'queued', repeated: true });
      });

      it('rejects a reply with an impossible shape', () => {
        expectJournalError(() => journal.enqueueReply(reply({ parts: 0 })), 'invalid_input');
        expectJournalError(() => journal.enqueueReply(reply({ mode: 'morse' as 'text' })), 'invalid_input');
      });
    });

    describe('history, counts and pruning', () => {
      it('lists inbound and outbound newest first, filtered and paged', () => {
        journal.recordInbound(command('in-1'));
        time += 10;
        const out = journal.enqueueReply(reply()).entry.id;
        time += 10;
        journal.recordInbound(command('in-2'));
        const all = journal.history();
        expect(all.map((item) => item.direction)).toEqual(['inbound', 'outbound', 'inbound']);
        expect(all[1]?.entry).toMatchObject({ id: out });
        expect(journal.history({ direction: 'outbound' })).toHaveLength(1);
        expect(journal.history({ limit: 1 })).toHaveLength(1);
        expect(journal.history({ before: time }).map((item) => item.at)).toEqual([time - 10, time - 20]);
      });

      it('counts what is waiting', () => {
        journal.recordInbound(command('w'));
        journal.recordPart({ part_key: 'k', group_key: 'g', seq: 1, payload: '{}' });
        const a = journal.enqueueReply(reply()).entry.id;
        journal.enqueueReply(reply());
        journal.markSending(a);
        expect(journal.counts()).toEqual({
          inbox_unpublished: 1,
          parts_pending: 1,
          outbox_queued: 1,
          outbox_sending: 1,
          outbox_sent: 0,
          status_unpublished: 2,
        });
      });

      it('prunes only finished records older than the cut-off', () => {
        journal.recordInbound(command('old-done'));
        journal.markPublished('old-done');
        journal.recordInbound(command('old-waiting'));
        const failed = journal.enqueueReply(reply()).entry.id;
        journal.markFailed(failed, { code: 'x', message: 'y' });
        const queued = journal.enqueueReply(reply()).entry.id;
        time += 1000;
        const result = journal.pruneBatch(time, 1000);
        expect(result.inbox).toBe(1);
        expect(result.outbox).toBe(1);
        expect(journal.getInbound('old-waiting')).not.toBeNull();
        expect(journal.getInbound('old-done')).toBeNull();
        expect(journal.getReply(queued)?.state).toBe('queued');
        expect(journal.getReply(failed)).toBeNull();
      });

      it('refuses work after close', () => {
        journal.close();
        expectJournalError(() => journal.listUnpublished(), 'closed');
      });
    });
  });
}
