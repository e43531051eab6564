import type { Logger } from 'pino';
import type { Alarm } from './payloads.js';

/** Who raises an alarm: each source raises and clears only its own. */
type AlarmSource = 'inbound_intake' | 'reply_intake' | 'reply_sender';

/**
 * The alarms `bridge/state` carries, keyed by source. Several sources can have the same trouble (the journal cannot
 * be written: the inbound intake, the reply intake and the reply sender each find out on their own), and one of them
 * succeeding says nothing about the others — an SMS committed fine while the sender still owes its write. So an
 * alarm code stands as long as any source raises it, with the message of the source that raised it last.
 */
export class AlarmRegistry {
  private readonly raised = new Map<AlarmSource, Map<string, { message: string; order: number }>>();
  private order = 0;

  constructor(
    private readonly logger: Logger,
    /** Called when the published list changed (the bridge re-publishes `bridge/state`). */
    private readonly onChange: () => void,
  ) {}

  /** Raises (message) or clears (null) `code` for `source`. */
  set(source: AlarmSource, code: string, message: string | null): void {
    const before = JSON.stringify(this.list());
    const own = this.raised.get(source) ?? new Map<string, { message: string; order: number }>();
    const had = own.get(code)?.message ?? null;
    if (message === null) own.delete(code);
    else if (had !== message) own.set(code, { message, order: ++this.order });
    this.raised.set(source, own);
    if (had !== message) {
      if (message) this.logger.error({ alarm: code, source }, message);
      else this.logger.info({ alarm: code, source }, 'alarm cleared');
    }
    if (JSON.stringify(this.list()) !== before) this.onChange();
  }

  get size(): number {
    return this.list().length;
  }

  /** One entry per code, in the order the codes were first raised. */
  list(): Alarm[] {
    const byCode = new Map<string, { message: string; order: number; first: number }>();
    for (const own of this.raised.values()) {
      for (const [code, { message, order }] of own) {
        const seen = byCode.get(code);
        if (!seen) byCode.set(code, { message, order, first: order });
        else
          byCode.set(code, {
            message: order > seen.order ? message : seen.message,
            order: Math.max(order, seen.order),
            first: Math.min(order, seen.first),
          });
      }
    }
    return [...byCode].sort(([, a], [, b]) => a.first - b.first).map(([code, { message }]) => ({ code, message }));
  }
}
