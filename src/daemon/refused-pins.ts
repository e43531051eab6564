import { type RefusedPinSet, RefusedPins } from '../modem/index.js';
import type { SqliteRefusedPins } from '../store/index.js';
import type { Logger } from '../util/logger.js';

/**
 * The driver's refused PINs, kept in the journal (src/store/refused-pins.ts) so that neither `modem/restart` nor a
 * restart of the daemon (exit 75, systemd, a reboot) sends a PIN the SIM already refused: each try costs one of its
 * three. A changed PIN is not in the list, so it is tried, once. Every refusal is also kept in memory: a SIM whose
 * ICCID and IMEI could not be read (no key to keep it under), or a journal that cannot be written, still never gets
 * the same wrong PIN twice from this process.
 */
export class JournalRefusedPins implements RefusedPinSet {
  private readonly inMemory = new RefusedPins();
  private readonly logger: Logger;

  constructor(
    /** The open journal, or null before it is opened (a closed one refuses, which is logged and not fatal). */
    private readonly journal: () => { refusedPins(): SqliteRefusedPins } | null,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'sim' });
  }

  has(pin: string, simId: string | null): boolean {
    if (this.inMemory.has(pin, simId)) return true;
    if (simId === null) return false;
    try {
      return this.journal()?.refusedPins().has(simId, pin) ?? false;
    } catch (error) {
      // Unknown is not "refused": the PIN may be tried, as before the journal kept them (one try at most, above).
      this.logger.warn({ err: error }, 'cannot read the refused SIM PINs from the journal');
      return false;
    }
  }

  add(pin: string, simId: string | null): void {
    this.inMemory.add(pin, simId);
    if (simId === null) return;
    try {
      this.journal()?.refusedPins().add(simId, pin);
    } catch (error) {
      this.logger.warn({ err: error }, 'cannot keep the refused SIM PIN in the journal: a restart may try it again');
    }
  }

  forget(simId: string | null): void {
    this.inMemory.forget(simId);
    if (simId === null) return;
    try {
      this.journal()?.refusedPins().forget(simId);
    } catch (error) {
      // Kept is the safe side: the PIN stays unsent until the configured PIN changes.
      this.logger.warn({ err: error }, 'cannot clear the refused SIM PINs of an unlocked SIM in the journal');
    }
  }
}
