import type { AtChannel } from '../at/channel.js';
import { type AtError, isAtError } from '../at/errors.js';
import { type DecodedSms, type DecodeOptions, PduError } from '../sms/index.js';
import type { Logger } from '../util/logger.js';
import { MemorySelector } from './memory-selector.js';
import { parseCmgl, parseCmgr, pduHasNoSmsc, type StoredPdu } from './parsers/sms-list.js';
import type { MemoryUse } from './parsers/storage.js';
import type { SweepOutcome } from './sweep-cadence.js';
import { SweepMemories } from './sweep-memories.js';
import type { MessageConsumer, ReceivedSms, StorageStatus } from './types.js';

type Task =
  | { kind: 'slot'; memory: string; index: number }
  /** `full`: list every readable memory; `periodic`: the quiet sweep (see SweepMemories.periodic and run). */
  | { kind: 'sweep'; reason: string; scope: 'full' | 'periodic' }
  | { kind: 'direct'; pdu: string; length: number };

interface ReceiverOptions {
  consumer: MessageConsumer;
  logger: Logger;
  decode: (hex: string, options: DecodeOptions) => DecodedSms;
  /** A message that could not be decoded (it is still handed to the consumer, then deleted). */
  onUndecodable(sms: ReceivedSms): void;
  /** The consumer refused a message: it stays in storage; the modem schedules a retry sweep. */
  onConsumerFailure(error: unknown): void;
  /** A command failed in a way the recovery ladder should hear about (timeouts, port loss). */
  onChannelTrouble(error: unknown): void;
  onStorage(status: StorageStatus): void;
  /**
   * Something that casts doubt on +CMTI (a notice for an empty or unreadable slot, a full storage, a read error, a
   * message no notice announced): the periodic sweep goes back to its short interval (SweepCadence).
   */
  onAnomaly?(reason: string): void;
  /** A sweep ended (not called when it failed: that is reported as an anomaly). */
  onSweepDone?(outcome: SweepOutcome): void;
  /** A +CMTI/+CDSI led to a stored message, read and handed over: notices demonstrably work. */
  onNoticeWorked?(): void;
  /** An answer that only makes sense if the modem lost its settings (rebooted silently, text mode): re-initialise. */
  onSettingsLost(reason: string): void;
  /**
   * Send +CMGR and +CMGL as aligned commands (`AT+CMGR=3;+CMEE?`, see CommandOptions.aligned) so that an answer shifted
   * by a stray OK is never taken for another slot's, which would then be deleted unread. Default true; off only to
   * replay a captured dialogue byte for byte.
   */
  alignReads?: boolean;
}

/**
 * The receive pipeline, one task at a time: +CMTI slots, +CMT/+CDS direct deliveries, and sweeps: full ones (+CMGL=4
 * over every readable memory) after init, on request and after anything odd, and quiet periodic ones that look only
 * where messages can arrive and list a memory only when its counters say it holds something. Order for each message:
 * read → consumer.accept (durable) → only then +CMGD / +CNMA. A message accepted but not yet deleted is remembered
 * (memory, index, PDU) so a retried sweep deletes it without handing it over a second time.
 */
export class Receiver {
  private channel: AtChannel | undefined;
  private queue: Task[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];
  private readonly handed = new Set<string>();
  private readonly plan = new SweepMemories();
  private readonly mem1 = new MemorySelector((memory, use) => this.usageRead(memory, use));
  private readonly aligned: boolean;

  constructor(private readonly options: ReceiverOptions) {
    this.aligned = options.alignReads ?? true;
  }

  /**
   * Binds to a freshly initialised channel; +CPMS has just set all three memories to `primary`. `reportMemory` is where
   * the modem stores status reports when that is not `primary` (undefined: there, or not stored at all).
   */
  attach(channel: AtChannel, primary: string, readable: string[], reportMemory?: string): void {
    this.channel = channel;
    this.mem1.assume(primary);
    this.queue = [];
    this.plan.reset(primary, readable, reportMemory);
  }

  /**
   * Stops taking work and waits for the task in flight to end. Called before (re-)initialisation: init changes
   * <mem1> with +CPMS, and a +CMGR/+CMGD pair split across that change would delete a slot in the wrong memory.
   */
  async detach(): Promise<void> {
    this.channel = undefined;
    this.queue = [];
    this.mem1.assume(undefined);
    await this.idle();
  }

  /** +CMTI / +CDSI. An index < 0 or a memory we cannot read (`+CMTI: ,-1`, vendor names) → sweep instead. */
  notify(memory: string, index: number): void {
    // Honour the memory the modem names (Quectel reports "ME" even when <mem3> is "SM"); SR holds +CDSI reports.
    if (!this.plan.canRead(memory, index)) {
      if (memory) this.options.logger.info({ memory, index }, 'notification for an unreadable slot: sweeping');
      this.sweepAfter(`notice ${memory || '?'},${index}`);
      return;
    }
    this.plan.noticed(memory);
    if (this.queue.some((t) => t.kind === 'slot' && t.memory === memory && t.index === index)) return;
    this.push({ kind: 'slot', memory, index });
  }

  /** +CMT / +CDS: a PDU routed straight to us; acknowledged with +CNMA after the consumer made it durable. */
  direct(pdu: string, length: number): void {
    this.push({ kind: 'direct', pdu: pdu.trim().toUpperCase(), length });
  }

  /** A full sweep (every readable memory listed), unless one is already queued. */
  sweep(reason: string): void {
    const queued = this.queue.find((t) => t.kind === 'sweep');
    if (queued?.kind === 'sweep') {
      queued.scope = 'full';
      return;
    }
    this.push({ kind: 'sweep', reason, scope: 'full' });
  }

  /** Something odd was seen: a full sweep now, and the periodic sweep back on its short interval. */
  sweepAfter(anomaly: string): void {
    this.options.onAnomaly?.(anomaly);
    this.sweep(anomaly);
  }

  /** The timer's sweep: quiet (see SweepMemories.periodic); nothing to add when any sweep is already queued. */
  sweepPeriodic(): void {
    if (this.queue.some((t) => t.kind === 'sweep')) return;
    this.push({ kind: 'sweep', reason: 'periodic', scope: 'periodic' });
  }

  /** Resolves when no task is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private push(task: Task): void {
    this.queue.push(task);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (let task = this.queue.shift(); task; task = this.queue.shift()) {
        const channel = this.channel;
        if (!channel) break;
        try {
          await this.run(channel, task);
        } catch (error) {
          this.report(error, task);
        }
      }
    } finally {
      this.running = false;
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private report(error: unknown, task: Task): void {
    if (error instanceof ConsumerError) {
      this.options.logger.warn(
        { err: error.cause, task: task.kind },
        'consumer did not accept a message; it stays on the modem',
      );
      this.options.onConsumerFailure(error.cause);
      return;
    }
    this.options.logger.warn({ err: error, task: task.kind }, 'receive task failed');
    this.options.onAnomaly?.(`${task.kind} failed: ${(error as Error)?.message ?? String(error)}`);
    if (isAtError(error) && (error.kind === 'timeout' || error.kind === 'disconnected')) {
      this.queue = [];
      this.options.onChannelTrouble(error);
    }
  }

  private async run(channel: AtChannel, task: Task): Promise<void> {
    if (task.kind === 'slot') return this.readSlot(channel, task.memory, task.index);
    if (task.kind === 'direct') return this.handleDirect(channel, task.pdu, task.length);
    const periodic = task.scope === 'periodic';
    const memories = periodic ? this.plan.periodic : this.plan.full;
    this.options.logger.debug({ reason: task.reason, memories }, 'sweeping message storage');
    const seen = new Set<string>();
    let unannounced = 0;
    let listed = false;
    for (const memory of memories) {
      try {
        if (periodic) {
          // The counters first (+CPMS answers used/total of <mem1>): an empty memory needs no +CMGL.
          const use = await this.mem1.usageOf(channel, memory);
          if (use && use.used === 0) continue;
        } else {
          await this.mem1.select(channel, memory);
        }
        listed = true;
        unannounced += await this.listMemory(channel, memory, seen);
      } catch (error) {
        if (isModemRefusal(error)) {
          this.options.logger.debug({ memory, err: error.message }, 'memory cannot be listed; skipped');
          continue;
        }
        throw error;
      }
    }
    if (!periodic) for (const key of this.handed) if (!seen.has(key)) this.handed.delete(key);
    // A quiet sweep that listed nothing already read the receive memory's counters (its last step).
    // Back to the receive memory, reading its counters on the way (one command).
    if (!periodic || listed) await this.mem1.usageOf(channel, this.plan.receiveMemory);
    if (unannounced > 0) {
      this.options.logger.warn(
        { unannounced, reason: task.reason },
        'the sweep found messages no +CMTI announced: sweeping at the short interval',
      );
    }
    this.options.onSweepDone?.({ periodic, unannounced: periodic ? unannounced : 0 });
  }

  /** +CMGL=4 on the selected memory; hands over what it lists and returns how many no notice had announced. */
  private async listMemory(channel: AtChannel, memory: string, seen: Set<string>): Promise<number> {
    const res = await channel.run('AT+CMGL=4', { prefix: '+CMGL:', bodyLines: true, aligned: this.aligned });
    const { messages, skipped } = parseCmgl(res.lines);
    if (skipped.length > 0) this.options.logger.warn({ memory, skipped }, 'unparseable +CMGL lines');
    let unannounced = 0;
    for (const stored of messages.sort((a, b) => a.index - b.index)) {
      // A doubled line must not hand the same message over twice.
      if (seen.has(keyOf(memory, stored))) continue;
      seen.add(keyOf(memory, stored));
      // Announced and queued: the slot read right after this sweep takes it (and finds no empty slot).
      if (this.queue.some((t) => t.kind === 'slot' && t.memory === memory && t.index === stored.index)) continue;
      const fresh = !this.handed.has(keyOf(memory, stored));
      try {
        if ((await this.handleStored(channel, memory, stored)) && fresh) unannounced++;
      } catch (error) {
        if (!(error instanceof ConsumerError)) throw error;
        this.report(error, { kind: 'sweep', reason: 'consumer', scope: 'full' });
      }
    }
    return unannounced;
  }

  private async readSlot(channel: AtChannel, memory: string, index: number): Promise<void> {
    let lines: string[];
    try {
      await this.mem1.select(channel, memory);
      lines = (await channel.run(`AT+CMGR=${index}`, { prefix: '+CMGR:', bodyLines: true, aligned: this.aligned }))
        .lines;
    } catch (error) {
      // An empty slot answers +CMS ERROR: 321 on some modems and a bare OK on others (FACTS.md).
      if (isAtError(error, 'cms') && error.code === 321) lines = [];
      else if (isModemRefusal(error)) {
        // The modem refused the memory or the slot (a +CMTI naming "MT" or a vendor memory that +CPMS cannot select):
        // the message is still stored somewhere, so list every readable memory now instead of leaving it for the
        // periodic sweep minutes later. A sweep never queues slot reads, so this cannot loop.
        this.options.logger.info({ memory, index, err: error.message }, 'slot cannot be read: sweeping');
        this.sweepAfter(`unreadable slot ${memory},${index}`);
        return;
      } else throw error;
    }
    const stored = parseCmgr(index, lines);
    if (!stored) {
      if (lines.length === 0) {
        // A notice pointing at an empty slot: either a sweep already took the message (then listing again costs one
        // short +CMGL), or the firmware named the wrong memory. Quectel EC25/EG25 announce status reports stored in SR
        // as `+CDSI: "SM",0` (asterisk-chan-quectel PR #75) and a read in the wrong memory answers a bare OK
        // (serialport-gsm issue #12, EC25): list every readable memory so the message is not left for the timer.
        this.options.logger.debug({ memory, index }, 'notified slot is empty: sweeping');
        this.sweepAfter(`empty slot ${memory},${index}`);
      } else {
        // A header without a usable PDU (line noise, a lost line): never treat it as empty; list the storage instead.
        this.options.logger.warn({ memory, index, lines }, 'unreadable +CMGR answer; sweeping');
        // A text-mode answer (`+CMGR: "REC UNREAD",…`) means the modem forgot +CMGF=0.
        if (lines.some((l) => /^\+CMGR:\s*"/.test(l))) this.options.onSettingsLost('+CMGR answered in text mode');
        this.sweepAfter('unreadable slot');
      }
      return;
    }
    if (await this.handleStored(channel, memory, stored)) this.options.onNoticeWorked?.();
  }

  /** Hands a stored message over and deletes it; false when it was left in storage (a stored outgoing message). */
  private async handleStored(channel: AtChannel, memory: string, stored: StoredPdu): Promise<boolean> {
    const key = keyOf(memory, stored);
    if (!this.handed.has(key)) {
      const decoded = this.decode(stored);
      // Stored outgoing messages (<stat> 2/3, SMS-SUBMIT) are not received messages: a Huawei E3131 keeps copies of
      // sent SMS in storage (gammu issue #333). They are neither handed over nor deleted.
      if (stored.stat === 2 || stored.stat === 3 || decoded.decoded?.type === 'SMS-SUBMIT') {
        this.options.logger.info(
          { memory, index: stored.index, stat: stored.stat },
          'stored outgoing message left in storage',
        );
        return false;
      }
      await this.handOver({
        source: 'storage',
        memory,
        index: stored.index,
        pdu: stored.pdu,
        tpdu_length: stored.length,
        ...decoded,
      });
      this.handed.add(key);
    }
    try {
      await channel.run(`AT+CMGD=${stored.index}`);
    } catch (error) {
      if (!(isAtError(error, 'cms') && error.code === 321)) throw error;
    }
    this.handed.delete(key);
    return true;
  }

  private async handleDirect(channel: AtChannel, pdu: string, length: number): Promise<void> {
    await this.handOver({
      source: 'direct',
      memory: null,
      index: null,
      pdu,
      tpdu_length: length,
      ...this.decode({ pdu, length }),
    });
    try {
      await channel.run('AT+CNMA');
    } catch (error) {
      // +CMS ERROR: 340 "no +CNMA acknowledgement expected" when +CSMS=0 (phase 2): nothing to acknowledge.
      if (!isAtError(error) || error.kind === 'timeout' || error.kind === 'disconnected') throw error;
    }
  }

  private async handOver(sms: ReceivedSms): Promise<void> {
    if (!sms.decoded) this.options.onUndecodable(sms);
    // A field the codec could not read but that left the PDU whole (a timestamp with a digit above 9): the message
    // goes on with that field null. Said here, once per message read, so neither the journal nor the bridge repeats it.
    else if (sms.decoded.warnings.length > 0) {
      this.options.logger.warn(
        { type: sms.decoded.type, memory: sms.memory, index: sms.index, pdu: sms.pdu, warnings: sms.decoded.warnings },
        'PDU decoded with an unreadable field (null in what is published)',
      );
    }
    try {
      await this.options.consumer.accept(sms);
    } catch (error) {
      throw new ConsumerError(error);
    }
  }

  private decode(stored: Pick<StoredPdu, 'pdu' | 'length'>): Pick<ReceivedSms, 'decoded' | 'decode_error'> {
    try {
      return { decoded: this.options.decode(stored.pdu, { smsc: !pduHasNoSmsc(stored) }), decode_error: null };
    } catch (error) {
      if (error instanceof PduError)
        return { decoded: null, decode_error: { message: error.message, field: error.field, offset: error.offset } };
      return {
        decoded: null,
        decode_error: { message: String((error as Error)?.message ?? error), field: null, offset: null },
      };
    }
  }

  /** The receive memory's counters go to the owner; a full one is an anomaly (FACTS.md: it stops +CMTI silently). */
  private usageRead(memory: string, use: MemoryUse): void {
    if (memory !== this.plan.receiveMemory) return;
    this.options.onStorage({ memory: use.memory ?? memory, used: use.used, total: use.total });
    if (use.total > 0 && use.used >= use.total) {
      this.options.logger.warn({ memory, used: use.used, total: use.total }, 'message storage full');
      this.options.onAnomaly?.('storage full');
    }
  }
}

/** The modem answered the command with ERROR / +CME / +CMS: it is alive, it just refuses this one. */
function isModemRefusal(error: unknown): error is AtError {
  return isAtError(error) && (error.kind === 'cms' || error.kind === 'cme' || error.kind === 'error');
}

class ConsumerError extends Error {
  constructor(override readonly cause: unknown) {
    super('consumer failed');
  }
}

function keyOf(memory: string, stored: StoredPdu): string {
  return `${memory}:${stored.index}:${stored.pdu}`;
}
