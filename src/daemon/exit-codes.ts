/**
 * Exit codes of `m2m-bridge run` (README, "Exit codes"). 78 (sysexits' EX_CONFIG) and 65 (EX_DATAERR) are listed in
 * the systemd unit's RestartPreventExitStatus: a broken config or a journal that cannot be opened as it is fails the
 * same way on every restart, so the unit stops at once and `systemctl status` shows why.
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
  /** The journal file is damaged (power loss, a cut copy) or was written by a newer m2m-bridge: a person decides. */
  journal: 65,
  /**
   * Another m2m-bridge already holds this instance's serial device, journal or base topic (conflicts.ts): the
   * message names it and the key to change. sysexits' EX_CANTCREAT — the resource cannot be taken; restarting would
   * only fight over it, so the unit lists it in RestartPreventExitStatus.
   */
  conflict: 73,
  /**
   * Stopped cleanly because `bridge/request/restart` asked for it (lifecycle-actions.ts): the answer was published,
   * the send in flight finished and the journal closed first. sysexits' EX_TEMPFAIL, "try again": not 0, so a
   * supervisor that restarts only on failure (Restart=on-failure, Docker's on-failure) starts it again too. The
   * systemd units list it in SuccessExitStatus (a requested restart is no failure) and never in
   * RestartPreventExitStatus.
   */
  restart: 75,
  /** The configuration is invalid: the message names the key. */
  config: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
