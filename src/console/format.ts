import type { AnnotatedLine } from './annotate.js';

/** `[14:03:07.412]` in local time: URCs carry the time they arrived, which is what a technician compares with logs. */
export function timestamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `[${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}]`;
}

/** The printed form of one modem line: URCs timestamped and tagged, notes indented under the line. */
export function formatLine(line: AnnotatedLine, nowMs: number): string[] {
  const out = [line.kind === 'urc' ? `${timestamp(nowMs)} URC ${line.text}` : line.text];
  if (line.note) out.push(`    ↳ ${line.note}`);
  return out;
}
