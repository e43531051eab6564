/** Splits an AT parameter list at top-level commas, keeping quoted strings and (…) groups whole. */
export function splitFields(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && !quoted && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  out.push(current.trim());
  return out;
}

/** `"SM"` → `SM`; unquoted values are returned trimmed. */
export function unquote(field: string): string {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** The text after `+XXX:` on the first line that carries that prefix, or undefined. */
export function afterPrefix(lines: readonly string[], prefix: string): string | undefined {
  for (const line of lines) if (line.startsWith(prefix)) return line.slice(prefix.length).trim();
  return undefined;
}

/** An integer field; undefined for empty or non-numeric text. */
export function intField(field: string | undefined): number | undefined {
  if (field === undefined) return undefined;
  const t = unquote(field);
  return /^-?\d+$/.test(t) ? Number(t) : undefined;
}

/** `(0-3)`, `(0,2)`, `(0-2,4)`, `0` → the set of integers it allows. */
export function parseRange(field: string): number[] {
  const inner = field.trim().replace(/^\(/, '').replace(/\)$/, '');
  const values: number[] = [];
  for (const part of inner.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] !== undefined ? Number(m[2]) : lo;
    for (let v = lo; v <= hi && v - lo < 256; v++) values.push(v);
  }
  return values;
}
