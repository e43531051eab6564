import { intField, splitFields, unquote } from './fields.js';

/** `+CMTI: "SM",3` / `+CDSI: "SR",0` (TS 27.005 §3.4.1). `+CMTI: ,-1` and other odd forms give index < 0. */
export interface StorageNotice {
  memory: string;
  index: number;
}

export function parseStorageNotice(line: string): StorageNotice | undefined {
  const m = /^\+(?:CMTI|CDSI):\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const f = splitFields(m[1]!);
  return { memory: unquote(f[0] ?? '').toUpperCase(), index: intField(f[1]) ?? -1 };
}

/** The `<length>` of a two-line `+CMT: [<alpha>],<length>` or `+CDS: <length>` header. */
export function parseDirectHeader(line: string): number | undefined {
  const m = /^\+(?:CMT|CDS):\s*(.*)$/.exec(line);
  if (!m) return undefined;
  const f = splitFields(m[1]!);
  return intField(f[f.length - 1]);
}

/** `+CMGS: <mr>[,<scts>|<ackpdu>]` → the message reference. */
export function parseCmgs(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const m = /^\+CMGS:\s*(\d+)/.exec(line);
    if (m) return Number(m[1]);
  }
  return undefined;
}
