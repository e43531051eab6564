/** PIN tries a SIM gives before it wants the PUK, and PUK tries before it is dead (3GPP TS 31.102 / TS 27.007 §8.3). */
export const PIN_TRIES = 3;
export const PUK_TRIES = 10;

/**
 * The SIM's PIN lock: the PIN (null: the SIM never had one), whether the lock is on (AT+CLCK="SC"), PIN and PUK tries
 * left. Three wrong PINs leave it wanting the PUK; ten wrong PUKs kill it. The AT commands that drive it live in
 * commands/sim-lock.ts; this is the card's state, changed only through what a card does.
 */
export class SimCard {
  private pin: string | null;
  private readonly puk: string;
  private lock: boolean;
  private open: boolean;
  private pinTries = PIN_TRIES;
  private pukTries = PUK_TRIES;

  constructor(pin: string | null, puk: string) {
    this.pin = pin;
    this.puk = puk;
    this.lock = Boolean(pin);
    this.open = !pin;
  }

  /** The PIN has been entered (or the SIM needs none) since the modem powered on. */
  get unlocked(): boolean {
    return this.open;
  }

  get lockEnabled(): boolean {
    return this.lock;
  }

  get pinTriesLeft(): number {
    return this.pinTries;
  }

  get pukTriesLeft(): number {
    return this.pukTries;
  }

  /** +CPIN: READY, SIM PIN or SIM PUK. */
  get lockState(): 'READY' | 'SIM PIN' | 'SIM PUK' {
    if (this.open) return 'READY';
    return this.pinTries > 0 ? 'SIM PIN' : 'SIM PUK';
  }

  /** A power cycle: a SIM wanting its PUK stays so; otherwise it asks for its PIN again if the lock is on. */
  powerOn(): void {
    this.open = this.pinTries > 0 && !this.lock;
  }

  /** Checks a PIN: the right one restores the tries, a wrong one costs one and the last one locks the SIM to its PUK. */
  verifyPin(code: string | undefined): boolean {
    if (code === this.pin) {
      this.pinTries = PIN_TRIES;
      return true;
    }
    this.pinTries = Math.max(0, this.pinTries - 1);
    if (this.pinTries === 0) this.open = false;
    return false;
  }

  /** Checks the PUK; the right one sets `newPin` and restores the PUK tries, a wrong one costs a PUK try. */
  verifyPuk(code: string | undefined, newPin: string): boolean {
    if (code !== this.puk) {
      this.pukTries -= 1;
      return false;
    }
    this.pin = newPin;
    this.pukTries = PUK_TRIES;
    return true;
  }

  /** The right PIN (or PUK) came in: the SIM is usable until the next power cycle. */
  unlock(): void {
    this.open = true;
    this.pinTries = PIN_TRIES;
  }

  setLockEnabled(enabled: boolean): void {
    this.lock = enabled;
  }

  changePin(next: string): void {
    this.pin = next;
  }
}
