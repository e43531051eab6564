/** Intervals and deadlines of the driver; tests shorten them, deployments rarely need to. */
export interface ModemTiming {
  reopenMinMs: number;
  reopenMaxMs: number;
  /**
   * The fallback network poll (registration, operator, and signal where the modem has no signal URC). Registration
   * changes arrive as +CREG/+CEREG URCs (AT+CREG=2, 3GPP TS 27.007 §7.2), so this poll only catches a lost URC and
   * the operator name.
   */
  statusIntervalMs: number;
  /** Safety-net sweep after (re-)init and after anything odd (FACTS.md: a full storage stops +CMTI silently). */
  sweepIntervalMs: number;
  /** The safety-net sweep once +CMTI demonstrably works (see SweepCadence); at least `sweepIntervalMs`. */
  idleSweepIntervalMs: number;
  /** Clean periodic sweeps in a row before the idle interval applies. */
  cleanSweepsToRelax: number;
  consumerRetryMs: number;
  readyTimeoutMs: number;
  /**
   * A blocked SIM (locked, missing, failed: sim-block.ts) is rechecked after this pause, doubling up to
   * simRecheckMaxMs: slow enough to stay quiet for days, quick enough to notice an inserted SIM.
   */
  simRecheckMinMs: number;
  simRecheckMaxMs: number;
  /** Caps the per-command default deadlines (undefined: the table in src/at/command-timeouts.ts). */
  commandTimeoutMs: number | undefined;
}

export const DEFAULT_TIMING: ModemTiming = {
  reopenMinMs: 1000,
  reopenMaxMs: 30_000,
  statusIntervalMs: 300_000,
  sweepIntervalMs: 60_000,
  idleSweepIntervalMs: 600_000,
  cleanSweepsToRelax: 2,
  consumerRetryMs: 30_000,
  readyTimeoutMs: 60_000,
  simRecheckMinMs: 30_000,
  simRecheckMaxMs: 600_000,
  commandTimeoutMs: undefined,
};
