import type { Clock } from '../util/clock.js';

interface SweepCadenceOptions {
  /** The interval after (re-)init and after anything odd (`modem.sweep_interval_seconds`). */
  shortMs: number;
  /** The interval once +CMTI demonstrably works (`modem.idle_sweep_interval_seconds`); never below `shortMs`. */
  longMs: number;
  /** Clean periodic sweeps in a row (nothing found that no +CMTI announced) before the long interval applies. */
  cleanSweepsToRelax: number;
}

/** What a sweep found, as the receiver reports it. */
export interface SweepOutcome {
  /** A periodic sweep (the timer's), not one asked for by init, a request or an odd event. */
  periodic: boolean;
  /** Messages the sweep had to hand over itself: stored, but no +CMTI/+CDSI had announced them. */
  unannounced: number;
}

/**
 * When the next periodic storage sweep is due. The sweep is the safety net for a +CMTI that never came (a full
 * storage stops +CMTI silently, FACTS.md; a lost line), and every sweep wakes the modem and fills the trace, so it
 * runs often only while there is reason to doubt the notices: after (re-)init and after anything odd, at the short
 * interval; after `cleanSweepsToRelax` periodic sweeps in a row found nothing un-notified, at the long one (and once
 * a sweep did find an un-notified message, only after a notice has also been seen to work). Anything
 * odd (`irregular`) brings the short interval back at once and can ask for a sweep sooner still (a consumer retry).
 * Pure: the clock is a parameter, and nothing here runs a command.
 */
export class SweepCadence {
  private relaxedNow = false;
  private clean = 0;
  private regularDue: number;
  /** A sooner sweep asked for by an odd event; it stands until a periodic sweep starts. */
  private requestedAt: number | undefined;
  private irregularSinceStart = false;
  private noticesWork = true;
  /** A sweep found a message no notice announced: relaxing waits until a +CMTI has led to a message again. */
  private noticeDoubted = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: SweepCadenceOptions,
  ) {
    this.regularDue = clock.now() + options.shortMs;
  }

  /** When the next periodic sweep is due (ms since the epoch, on the given clock). */
  get dueAt(): number {
    return Math.min(this.regularDue, this.requestedAt ?? Number.POSITIVE_INFINITY);
  }

  /** True while the long interval applies. */
  get relaxed(): boolean {
    return this.relaxedNow;
  }

  get intervalMs(): number {
    return this.relaxedNow ? Math.max(this.options.longMs, this.options.shortMs) : this.options.shortMs;
  }

  /**
   * A full sweep after (re-)initialisation just ran: notices are unproven again, so the short interval applies.
   * `notices` false (the modem accepted no +CNMI setting): nothing announces messages, so it never relaxes.
   */
  restart(notices = true): void {
    this.noticesWork = notices;
    this.noticeDoubted = false;
    this.relaxedNow = false;
    this.clean = 0;
    this.requestedAt = undefined;
    this.irregularSinceStart = false;
    this.regularDue = this.clock.now() + this.options.shortMs;
  }

  /**
   * A periodic sweep starts now. The next one is one interval away even if this one never reports back (the port
   * went away mid-sweep); `finished` re-arms it from the end of the sweep.
   */
  started(): void {
    this.requestedAt = undefined;
    this.irregularSinceStart = false;
    this.regularDue = this.clock.now() + this.intervalMs;
  }

  /** A sweep ended; a periodic one that found nothing un-notified counts toward the long interval. */
  finished(outcome: SweepOutcome): void {
    if (outcome.unannounced > 0) {
      // Notices went missing, not just once in a while perhaps (URCs on another port, a firmware that stores
      // silently): clean sweeps alone no longer prove anything until a notice is seen to work.
      this.noticeDoubted = true;
      this.irregular();
      return;
    }
    if (outcome.periodic && !this.irregularSinceStart) this.clean++;
    if (this.noticesWork && !this.noticeDoubted && this.clean >= this.options.cleanSweepsToRelax)
      this.relaxedNow = true;
    this.regularDue = this.clock.now() + this.intervalMs;
  }

  /** A +CMTI/+CDSI led to a stored message: notices demonstrably work again. */
  noticeWorked(): void {
    this.noticeDoubted = false;
  }

  /**
   * Something odd happened (a notice for an empty or unreadable slot, a full storage, a read error, a consumer
   * refusal, an un-notified message): back to the short interval, and the next sweep within `withinMs` (default: the
   * short interval). Returns whether the next sweep moved earlier, so the supervisor knows to re-arm its timer.
   */
  irregular(withinMs = this.options.shortMs): boolean {
    const before = this.dueAt;
    const now = this.clock.now();
    this.relaxedNow = false;
    this.clean = 0;
    this.irregularSinceStart = true;
    this.regularDue = Math.min(this.regularDue, now + this.options.shortMs);
    if (withinMs < this.options.shortMs)
      this.requestedAt = Math.min(this.requestedAt ?? Number.POSITIVE_INFINITY, now + withinMs);
    return this.dueAt < before;
  }
}
