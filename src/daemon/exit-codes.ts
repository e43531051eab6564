/**
 * Exit codes of `m2m-bridge run` (README, "Exit codes"). 78 is sysexits' EX_CONFIG, which the systemd unit lists in
 * RestartPreventExitStatus so a broken config does not restart in a loop.
 */
export const EXIT = {
  /** Stopped by SIGTERM/SIGINT, cleanly. */
  ok: 0,
  /**
   * Could not start (journal not writable, …), a second SIGTERM/SIGINT while stopping, or a fatal error (uncaught
   * exception). A stop whose steps ran out of time still exits 0: the log names the step.
   */
  failure: 1,
  /** Bad command line. */
  usage: 2,
  /** The configuration is invalid: the message names the key. */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
