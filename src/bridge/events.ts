import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { InboundKind, ReplyError } from '../store/index.js';
import { emitIsolated } from '../util/emit.js';

/** One reply outcome, as published on `command/status`. */
export interface ReplyOutcome {
  id: string;
  transaction: string | null;
  error: ReplyError | null;
}

/**
 * What the bridge tells observers (the daemon's metrics, status and Home Assistant modules). Observers only: nothing
 * the bridge does depends on them. Outcomes are emitted once they are on the broker (PUBACK), in journal order.
 */
export interface BridgeEventMap {
  /** An SMS was committed to the journal and waits for publishing (a command, or a rejected SMS to publish). */
  inbound_recorded: [];
  /** A journaled inbound record was acknowledged by the broker on command/received or sms/rejected. */
  command_published: [{ kind: InboundKind; key: string }];
  reply_queued: [ReplyOutcome];
  reply_sent: [ReplyOutcome];
  reply_delivered: [ReplyOutcome];
  reply_failed: [ReplyOutcome];
  /** A fire-and-forget publish (state, info, responses) failed. */
  publish_failed: [{ topic: string; message: string }];
}

/**
 * A typed EventEmitter whose `notify` isolates listeners: one that throws is logged and the others still run, and the
 * bridge's own work (e.g. marking a record published) never sees the error (zigbee2mqtt's rule, STYLE.md).
 */
export class BridgeEvents extends EventEmitter<BridgeEventMap> {
  constructor(private readonly logger: Logger) {
    super();
  }

  notify<K extends keyof BridgeEventMap>(event: K, ...args: BridgeEventMap[K]): void {
    emitIsolated(this, event, args, (error) =>
      this.logger.error({ err: error, event }, 'bridge event listener threw; ignored'),
    );
  }
}
