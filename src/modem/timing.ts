/** Intervals and deadlines of the driver; tests shorten them, deployments rarely need to. */
export interface ModemTiming {
  reopenMinMs: number;
  reopenMaxMs: number;
  statusIntervalMs: number;
  /** Safety-net sweep (FACTS.md: a full storage stops +CMTI silently). */
  sweepIntervalMs: number;
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
  statusIntervalMs: 60_000,
  sweepIntervalMs: 300_000,
  consumerRetryMs: 30_000,
  readyTimeoutMs: 60_000,
  simRecheckMinMs: 30_000,
  simRecheckMaxMs: 600_000,
  commandTimeoutMs: undefined,
};
