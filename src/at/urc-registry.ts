/**
 * Unsolicited result codes. The channel consults this registry BEFORE matching a line to the command in flight
 * (ModemManager's mm-port-serial-at does the same), so a `+CMTI` between a `+CMGL` header and its `OK`, before the
 * `> ` prompt, or between pieces of the echo never ends up in a response. Two-line URCs (+CMT and +CDS in PDU mode:
 * a header, then the PDU on the next line — 3GPP TS 27.005 §3.4.1) are delivered with both lines.
 */
export interface UrcDefinition {
  /** Short name for logs, e.g. `cmti`. */
  name: string;
  /** A line prefix (case-sensitive, e.g. `+CMTI:`), an exact line, or a regular expression. */
  match: string | RegExp;
  /** 2 when the URC carries a second line (the PDU). */
  lines?: 1 | 2;
  /** Receives the URC's line(s). Throwing handlers are caught and logged by the channel. */
  handler(lines: string[]): void;
}

export class UrcRegistry {
  private readonly defs: UrcDefinition[] = [];

  /** Adds a definition; returns a function that removes it again. */
  register(def: UrcDefinition): () => void {
    this.defs.push(def);
    return () => {
      const i = this.defs.indexOf(def);
      if (i >= 0) this.defs.splice(i, 1);
    };
  }

  find(line: string): UrcDefinition | undefined {
    for (const def of this.defs) {
      if (typeof def.match === 'string') {
        if (line === def.match || (def.match.endsWith(':') && line.startsWith(def.match))) return def;
      } else if (def.match.test(line)) {
        return def;
      }
    }
    return undefined;
  }

  get size(): number {
    return this.defs.length;
  }
}
