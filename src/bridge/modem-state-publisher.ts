import type { Clock, TimerHandle } from '../util/clock.js';
import type { ModemControl } from './modem-view.js';

interface ModemStatePublisherOptions {
  /** Only its view: the publisher reads, never controls. */
  modem: Pick<ModemControl, 'view'>;
  clock: Clock;
  /** Least time between two publishes; changes in between are coalesced. */
  intervalMs: number;
  /** Publishes the retained `modem/state` payload (fire-and-forget). */
  publish(payload: string): void;
}

/**
 * The retained `modem/state`: published when the modem's view changed — the driver reports after every status poll,
 * changed or not — at most once per interval (the latest state always goes out), and again unchanged after the
 * bridge (re)connected. `updated_at` says when it last changed, so an unchanged view is not published again.
 */
export class ModemStatePublisher {
  private timer: TimerHandle | null = null;
  private lastPublish = Number.NEGATIVE_INFINITY;
  /** The last one published: the view without `updated_at` (to compare) and the payload (to repeat). */
  private last: { view: string; payload: string } | null = null;

  constructor(private readonly options: ModemStatePublisherOptions) {}

  /** The modem reported: publish within the interval if its view changed. */
  changed(): void {
    if (this.timer) return;
    const { clock, intervalMs } = this.options;
    const wait = Math.max(0, this.lastPublish + intervalMs - clock.now());
    this.timer = clock.setTimeout(() => {
      this.timer = null;
      if (this.publish(false)) this.lastPublish = clock.now();
    }, wait);
  }

  /** After a (re)connect: the current view, published even when unchanged. */
  republish(): void {
    this.publish(true);
  }

  stop(): void {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** True when it published. */
  private publish(again: boolean): boolean {
    const view = this.options.modem.view();
    const key = JSON.stringify(view);
    if (this.last?.view !== key) {
      const payload = JSON.stringify({ ...view, updated_at: new Date(this.options.clock.now()).toISOString() });
      this.last = { view: key, payload };
    } else if (!again) return false;
    this.options.publish(this.last.payload);
    return true;
  }
}
