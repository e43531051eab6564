/**
 * The pause before reopening the port: doubling from `minMs` to `maxMs` while sessions keep failing, back to `minMs`
 * after one that got as far as a working modem, or that ended by resetting the modem on purpose (it is expected back
 * at once).
 */
export class ReopenBackoff {
  private current: number;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {
    this.current = minMs;
  }

  /** The pause after a session; `initialised`: it initialised the modem; `reset`: it ended with a modem reset. */
  after(session: { initialised: boolean; reset: boolean }): number {
    if (session.initialised || session.reset) this.current = this.minMs;
    const pause = this.current;
    if (!session.reset) this.current = Math.min(this.current * 2, this.maxMs);
    return pause;
  }
}
