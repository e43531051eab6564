/**
 * Byte stream → AT tokens. Lines end at CR or LF in any mix (CRLF, LFCR, CR CR LF, a lone CR from a stray modem
 * write), so empty lines are simply skipped. The SMS prompt `> ` has no line end (3GPP TS 27.005 §3.5.1: "the TA
 * shall send a four character sequence <CR><LF><greater_than><space>"), so it is recognised when it starts a line.
 * Lines longer than `maxLineLength` are discarded up to their end: a flood of garbage without line ends costs at most
 * `maxLineLength` bytes of memory. Bytes may arrive split at any chunk boundary.
 */
export type AtToken = { type: 'line'; text: string } | { type: 'prompt' } | { type: 'overflow'; dropped: number };

export interface AtFramerOptions {
  /** Longest line kept, in bytes. A PDU line is at most ~360 hex characters; +CMGL headers are short. */
  maxLineLength?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;

export class AtFramer {
  private readonly max: number;
  private readonly buf: Buffer;
  private len = 0;
  /** Bytes discarded from the current over-long line; >0 means "skip until the next line end". */
  private dropping = 0;

  constructor(options: AtFramerOptions = {}) {
    this.max = options.maxLineLength ?? 4096;
    this.buf = Buffer.alloc(this.max);
  }

  /** Feeds bytes and returns the complete tokens they finished. */
  push(chunk: Uint8Array): AtToken[] {
    const out: AtToken[] = [];
    for (const byte of chunk) {
      if (byte === CR || byte === LF) {
        this.endLine(out);
        continue;
      }
      if (this.dropping > 0) {
        this.dropping++;
        continue;
      }
      if (this.len === this.max) {
        this.dropping = this.len + 1;
        this.len = 0;
        continue;
      }
      this.buf[this.len++] = byte;
      if (this.len === 2 && this.buf[0] === GT && this.buf[1] === SPACE) {
        this.len = 0;
        out.push({ type: 'prompt' });
      }
    }
    return out;
  }

  /** Bytes held for an unfinished line (bounded by maxLineLength). */
  get buffered(): number {
    return this.len;
  }

  /** Forgets any partial line, e.g. after the port was reopened. */
  reset(): void {
    this.len = 0;
    this.dropping = 0;
  }

  private endLine(out: AtToken[]): void {
    if (this.dropping > 0) {
      out.push({ type: 'overflow', dropped: this.dropping });
      this.dropping = 0;
      return;
    }
    if (this.len === 0) return;
    // latin1 maps every byte to one char, so garbage can never throw or change length.
    out.push({ type: 'line', text: this.buf.toString('latin1', 0, this.len) });
    this.len = 0;
  }
}
