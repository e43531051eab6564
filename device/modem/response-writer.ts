import type { FaultAccess, LogSink, UrcSink } from './modem-host.js';

/** What the writer uses of the core: the output faults, the log, noise URCs and the vendor's interleaved URCs. */
export interface ResponseWriterHost extends Pick<FaultAccess, 'takeFault'>, LogSink, Pick<UrcSink, 'noiseUrc'> {
  /** The vendor URC due between this response's lines, if any (modem-core.ts). */
  interleavedVendorUrc(infoCount: number): string | undefined;
}

/** Line noise for the garbage fault: bytes no AT parser can take for a response (framing errors look like this). */
const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x7f, 0x8a, 0x2b, 0x00, 0xc3]);

/**
 * Writes lines to one connection and applies the output faults (dropped, doubled lines, garbage, a URC inside a
 * response) and the vendor quirk of URCs between response lines. Everything written is logged.
 */
export class ResponseWriter {
  constructor(
    private readonly core: ResponseWriterHost,
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
    if (this.core.takeFault('garbage')) {
      this.core.record('out', `(garbage) ${GARBAGE.toString('hex')}`);
      this.sink(GARBAGE);
    }
    let inserted: string | undefined;
    if (units.length > 1 && this.core.takeFault('urcInResponse')) {
      inserted = this.core.noiseUrc();
    } else {
      inserted = this.core.interleavedVendorUrc(infoCount);
    }
    units.forEach((unit, position) => {
      this.writeLine(unit);
      // Between the first information line and what follows, where real firmware interleaves its URCs.
      if (inserted && position === 0) this.writeLine(`\r\n${inserted}\r\n`);
    });
  }

  private writeLine(unit: string): void {
    if (this.core.takeFault('dropLines')) {
      this.core.record('out', `(dropped) ${unit.trim()}`);
      return;
    }
    const data = Buffer.from(unit, 'latin1');
    this.core.record('out', unit.trim());
    this.sink(data);
    if (this.core.takeFault('doubleLines')) {
      this.core.record('out', `(doubled) ${unit.trim()}`);
      this.sink(data);
    }
  }
}
