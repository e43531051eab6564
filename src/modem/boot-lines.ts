/**
 * How long after an initialisation a boot-sequence line seen for the first time is taken for the late tail of that
 * boot rather than a new one (Quectel prints +QIND: PB DONE up to ~20 s after RDY).
 */
const LATE_BOOT_LINE_MS = 60_000;

/**
 * Tells a new boot from the tail of the one just initialised. `RDY` (kind `restart`) is always a new boot. A later
 * boot line (`+CPIN: READY`, SMS ready; kind `boot-step`) is one only when it comes a second time since init began, or
 * more than a minute after init: a modem initialised straight after booting prints those after init (ModemQuirks).
 */
export class BootLines {
  private readonly sinceInit = new Set<string>();
  private initialisedAt = Number.NEGATIVE_INFINITY;

  /** An initialisation begins: lines from here on belong to the boot it handles. */
  initStarted(): void {
    this.sinceInit.clear();
  }

  initDone(now: number): void {
    this.initialisedAt = now;
  }

  /** Records `line` and says whether it means the modem booted again. */
  isNewBoot(line: string, kind: 'restart' | 'boot-step', now: number): boolean {
    const repeated = this.sinceInit.has(line);
    this.sinceInit.add(line);
    return kind === 'restart' || repeated || now - this.initialisedAt >= LATE_BOOT_LINE_MS;
  }
}
