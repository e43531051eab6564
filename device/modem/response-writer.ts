import type { ModemCore } from './modem-core.js';

/** Line noise for the garbage fault: bytes no AT parser can take for a response (framing errors look like this). */
const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x7f, 0x8a, 0x2b, 0x00, 0xc3]);

/**
 * Writes lines to one connection and applies the output faults (dropped, doubled lines, garbage, a URC inside a
 * response) and the vendor quirk of URCs between response lines. Everything written is logged.
 */
export class ResponseWriter {
  constructor(
    private readonly core: ModemCore,
    private readonly sink: (data: Buffer) => void,
  ) {}

  echo(data: Buffer): void {
    this.sink(data);
  }

  /** Lines of a URC or a prompt: subject to drop/double faults. */
  write(units: string[]): void {
    for (const unit of units) this.writeLine(unit);
  }

  /** A command's response: `infoCount` information units followed by the final result unit. */
  response(units: string[], infoCount: number): void {
    const faults = this.core.faults;
    if (faults.garbage > 0) {
      faults.garbage--;
      this.core.record('out', `(garbage) ${GARBAGE.toString('hex')}`);
      this.sink(GARBAGE);
    }
    let inserted: string | undefined;
    if (faults.urcInResponse > 0 && units.length > 1) {
      faults.urcInResponse--;
      inserted = this.core.noiseUrc();
    } else if (infoCount > 0 && this.core.profile.noiseEvery > 0 && this.core.settings.vendorUrcs) {
      this.core.responsesWithInfo++;
      if (this.core.responsesWithInfo % this.core.profile.noiseEvery === 0) {
        inserted = this.core.noiseUrc();
      }
    }
    units.forEach((unit, position) => {
      this.writeLine(unit);
      // Between the first information line and what follows, where real firmware interleaves its URCs.
      if (inserted && position === 0) this.writeLine(`\r\n${inserted}\r\n`);
    });
  }

  private writeLine(unit: string): void {
    const faults = this.core.faults;
    if (faults.dropLines > 0) {
      faults.dropLines--;
      this.core.record('out', `(dropped) ${unit.trim()}`);
      return;
    }
    const data = Buffer.from(unit, 'latin1');
    this.core.record('out', unit.trim());
    this.sink(data);
    if (faults.doubleLines > 0) {
      faults.doubleLines--;
      this.core.record('out', `(doubled) ${unit.trim()}`);
      this.sink(data);
    }
  }
}
