import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { statementCache } from './statements.js';

/** Runs one operation, turning SQLite's errors into JournalErrors that name the file (the journal's own guard). */
export type JournalGuard = <T>(fn: () => T) => T;

const SALT_BYTES = 16;

function digest(salt: Buffer, pin: string): Buffer {
  return createHash('sha256').update(salt).update(pin, 'utf8').digest();
}

/**
 * The SIM PINs a SIM refused, kept in the journal (table `refused_pins`, schema migration 5) so that a restart of the
 * daemon does not send a wrong PIN again: each try costs one of the SIM's three, and the third leaves it wanting its
 * PUK. Only a salted SHA-256 of each PIN is stored, never the PIN itself, so the journal file (and its copies, and
 * `journal salvage`) hold no PIN. Opened on the journal's own database handle (SqliteJournal.refusedPins).
 */
export class SqliteRefusedPins {
  private readonly q: (sql: string) => Database.Statement;

  constructor(
    db: Database.Database,
    private readonly guard: JournalGuard,
    private readonly now: () => number,
  ) {
    this.q = statementCache(db);
  }

  /** Whether `pin` was refused by the SIM `simId` (init.ts simIdOf: `iccid:…` or `imei:…`). */
  has(simId: string, pin: string): boolean {
    return this.guard(() => {
      const rows = this.q('SELECT salt, pin_sha256 FROM refused_pins WHERE sim_id = ?').all(simId) as {
        salt: Buffer;
        pin_sha256: Buffer;
      }[];
      return rows.some((row) => {
        const candidate = digest(row.salt, pin);
        return candidate.length === row.pin_sha256.length && timingSafeEqual(candidate, row.pin_sha256);
      });
    });
  }

  /**
   * Forgets the SIM's refusals (it answered READY: sim-block.ts RefusedPinSet). Reads first, so the init of a SIM
   * with nothing refused, which is every init, writes nothing to the disk.
   */
  forget(simId: string): void {
    this.guard(() => {
      if (this.q('SELECT 1 FROM refused_pins WHERE sim_id = ? LIMIT 1').get(simId) === undefined) return;
      this.q('DELETE FROM refused_pins WHERE sim_id = ?').run(simId);
    });
  }

  /** Remembers that the SIM `simId` refused `pin` (once: a PIN already remembered is not added again). */
  add(simId: string, pin: string): void {
    this.guard(() => {
      if (this.has(simId, pin)) return;
      const salt = randomBytes(SALT_BYTES);
      this.q('INSERT INTO refused_pins (sim_id, salt, pin_sha256, refused_at) VALUES (?, ?, ?, ?)').run(
        simId,
        salt,
        digest(salt, pin),
        this.now(),
      );
    });
  }
}
