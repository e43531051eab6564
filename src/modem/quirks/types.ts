import type { CellFacts } from '../parsers/cell.js';
import type { Signal } from '../parsers/network.js';

/** A vendor's serving-cell query (src/modem/parsers/serving-cell.ts) and how to read its answer. */
export interface ServingCellQuery {
  command: string;
  /** The answer's prefix; absent for answers whose later lines carry none (u-blox +UCGED). */
  prefix?: string;
  parse(lines: readonly string[]): CellFacts;
}

/** A vendor's signal-quality URC: the commands that switch it on (first accepted wins) and how to read it. */
export interface SignalUrcQuirk {
  enableCommands: string[];
  /** The URC line (registered before the vendor is known, ahead of the noise patterns). */
  match: RegExp;
  parse(line: string): Signal | undefined;
}

/**
 * A vendor quirk: only what differs from the generic 3GPP behaviour (ModemManager's plugin idea, as plain objects).
 */
export interface ModemQuirks {
  name: string;
  /** Whether +CGMI/+CGMM answers identify this vendor. */
  matches(manufacturer: string, model: string): boolean;
  /** `auto` storage preference, best first. */
  storageOrder: string[];
  /** Commands tried in order for the ICCID, with the answer prefix. */
  iccidCommands: { command: string; prefix?: string }[];
  /** Full reset used when the modem is stuck (last rung before reopening the port). */
  resetCommand: string;
  /** The first line firmware prints when it (re)starts (`RDY`): seen while ready, the modem rebooted. */
  rebootUrcs: (string | RegExp)[];
  /**
   * Later lines of the boot sequence (SIM ready, "SMS is usable now"). A modem initialised straight after it booted
   * prints them after our init is done, so while ready they mean a reboot only when one comes a second time since
   * init began, or long after it (Modem.onBootLine).
   */
  bootUrcs: (string | RegExp)[];
  /** Lines meaning "message storage is full" (trigger a sweep). */
  storageFullUrcs: (string | RegExp)[];
  /** Harmless vendor URCs to keep out of responses (logged at debug). */
  noiseUrcs: (string | RegExp)[];
  /** Deadline for +CMGS after the PDU was written. */
  sendTimeoutMs: number;
  /**
   * Vendor serving-cell queries (band, EARFCN, SINR …), tried in order until one answers. Asked on demand only
   * (`status`, `doctor`), never by the periodic poll, which must stay quiet.
   */
  servingCellQueries: ServingCellQuery[];
  /** Signal quality by URC instead of +CSQ polls, where the vendor has one. */
  signalUrc?: SignalUrcQuirk;
}
