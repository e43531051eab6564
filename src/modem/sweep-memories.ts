/** 3GPP TS 27.005 §3.1 <mem> values we can read from; anything else in a notice means "sweep". */
const KNOWN_MEMORIES = ['SM', 'ME', 'MT', 'SR'];

/**
 * Which memories a sweep lists, and which slot a notice names that can be read at all. It lives apart from the
 * receive pipeline (receiver.ts) because it is a decision made from values — what init found (+CPMS, +CNMI <ds>) and
 * what the notices of this session named — with no command in it: pure, and unit-tested on its own, while the
 * receiver runs the commands it plans.
 */
export class SweepMemories {
  private primary = 'SM';
  private memories: string[] = ['SM'];
  /** Where status reports are stored (SR with +CNMI <ds>=2 on modems that have it), swept periodically too. */
  private reportMemory: string | undefined;
  /** Memories a +CMTI/+CDSI named this session (Quectel names ME while <mem3> is SM): swept periodically too. */
  private readonly notified = new Set<string>();

  /**
   * After a (re-)init that set all three memories to `primary`: `readable` is what +CPMS=? offers for reading,
   * `reportMemory` where the modem stores status reports when that is not `primary` (undefined: there, or not stored
   * at all). Forgets what earlier notices named: after a reboot the modem may store elsewhere.
   */
  reset(primary: string, readable: readonly string[], reportMemory?: string): void {
    this.primary = primary;
    this.notified.clear();
    this.reportMemory = reportMemory !== undefined && reportMemory !== primary ? reportMemory : undefined;
    // MT is SM and ME together on the modems that offer it: listing those as well would hand messages over twice.
    const others = primary === 'MT' ? [] : readable.filter((m) => m === 'SM' || m === 'ME');
    this.memories = [...new Set([primary, ...others, ...readable.filter((m) => m === 'SR')])];
  }

  /** The receive memory (<mem3>, also <mem1> between tasks). */
  get receiveMemory(): string {
    return this.primary;
  }

  /** What a full sweep lists: every readable memory, the receive memory first. */
  get full(): readonly string[] {
    return this.memories;
  }

  /**
   * What a periodic sweep looks at: the receive memory (<mem3>), the status-report memory and any memory a notice
   * named, the receive memory last so that <mem1> is left where +CMTI reads need it (no +CPMS switch per message).
   */
  get periodic(): readonly string[] {
    const others = [this.reportMemory, ...this.notified].filter(
      (m): m is string => m !== undefined && m !== this.primary && this.memories.includes(m),
    );
    return [...new Set(others), this.primary];
  }

  /** Whether a +CMTI/+CDSI slot can be read with +CMGR; false (`+CMTI: ,-1`, a vendor memory): sweep instead. */
  canRead(memory: string, index: number): boolean {
    return index >= 0 && (this.memories.includes(memory) || KNOWN_MEMORIES.includes(memory));
  }

  /** A notice named `memory`: the modem stores there, so periodic sweeps look there too from now on. */
  noticed(memory: string): void {
    this.notified.add(memory);
  }
}
