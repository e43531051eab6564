import type { LogSink, SimClock } from './modem-host.js';

export interface LogEntry {
  /** Position in the log since power-on of the simulator (for `GET /log?since=`). */
  seq: number;
  at: string;
  direction: 'in' | 'out' | 'event';
  text: string;
}

/**
 * The AT dialogue in both directions and the notable events, stamped by the simulator's clock, the newest `limit`
 * entries kept. A record of what happened, not state any command reads: it stands apart from the modem core
 * (modem-core.ts), which only writes to it, while the control API (`GET /log`) and tests read it.
 */
export class AtLog implements LogSink {
  private readonly entries: LogEntry[] = [];
  private nextSeq = 1;

  constructor(
    private readonly clock: SimClock,
    private readonly limit: number,
  ) {}

  record(direction: LogEntry['direction'], text: string): void {
    this.entries.push({ seq: this.nextSeq++, at: this.clock.now().toISOString(), direction, text });
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  /** Copies of the entries after `since` (a seq). */
  since(since = 0): LogEntry[] {
    return this.entries.filter((entry) => entry.seq > since).map((entry) => ({ ...entry }));
  }
}
