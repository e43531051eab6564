import type { Clock } from '../util/clock.js';
import type { SweepOutcome } from './sweep-cadence.js';

/**
 * What the supervisor of a session reacts to. Callbacks (URC handlers, the receiver, the channel) only push events;
 * the supervisor takes them one by one, so no flag set by a callback can be missed or read half-way.
 */
type SessionEvent =
  /** The modem rebooted (RDY, a new boot line): re-initialise. */
  | { type: 'reboot' }
  /** Its settings look lost (it forgot PDU mode): re-initialise. */
  | { type: 'settings-lost' }
  /** Commands time out or the channel failed: re-sync, then reset if that fails too. */
  | { type: 'trouble' }
  /** The consumer refused a message: sweep again sooner than the periodic sweep. */
  | { type: 'consumer-retry' }
  /** Something cast doubt on +CMTI (receiver.ts onAnomaly): the periodic sweep goes back to its short interval. */
  | { type: 'anomaly'; reason: string }
  /** A sweep ended: a clean periodic one counts toward the long interval (SweepCadence). */
  | { type: 'sweep-done'; outcome: SweepOutcome }
  /** A +CMTI/+CDSI led to a stored message (receiver.ts onNoticeWorked). */
  | { type: 'notice-worked' }
  /** Check a blocked SIM now rather than at its next recheck (the config was reloaded). */
  | { type: 'recheck' }
  /** Look again (the channel closed, or the driver is stopping): the supervisor re-checks both itself. */
  | { type: 'wake' };

/** A queue of session events that the supervisor waits on with a deadline. */
export class SessionEvents {
  private readonly queue: SessionEvent[] = [];
  private waiting: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  push(event: SessionEvent): void {
    this.queue.push(event);
    this.waiting?.();
  }

  /** The oldest event, or undefined once `ms` passed without one. */
  next(ms: number): Promise<SessionEvent | undefined> {
    const first = this.queue.shift();
    if (first) return Promise.resolve(first);
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => finish(), Math.max(0, ms));
      const finish = () => {
        this.clock.clearTimeout(timer);
        this.waiting = undefined;
        resolve(this.queue.shift());
      };
      this.waiting = finish;
    });
  }

  /** Drops what is queued: a fresh init makes earlier reboots and trouble moot. */
  clear(): void {
    this.queue.length = 0;
  }
}
