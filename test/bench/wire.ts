import type { LogEntry } from '../../device/modem/index.js';

export const BAUD = 115_200;
/** 8N1: start bit, 8 data bits, stop bit. */
export const BITS_PER_BYTE = 10;

/**
 * Bytes an AT dialogue puts on the serial line, from the simulator's log: each output unit is logged trimmed, and went
 * out framed as CR LF text CR LF (ATV1, V.250 §5.7.1) — 4 bytes more; each command line was typed with its CR.
 * `<ctrl-z>` / `<esc>` stand for one byte. Events are not bytes.
 */
export function dialogueBytes(entries: LogEntry[]): { toModem: number; fromModem: number } {
  let toModem = 0;
  let fromModem = 0;
  for (const entry of entries) {
    const text = entry.text.replaceAll('<ctrl-z>', '\x1a').replaceAll('<esc>', '\x1b');
    if (entry.direction === 'in') toModem += text.length + (/[\x1a\x1b]$/.test(text) ? 0 : 1);
    else if (entry.direction === 'out') fromModem += text.length + 4;
  }
  return { toModem, fromModem };
}

/** Milliseconds `bytes` take on the line at BAUD. */
export const wireMs = (bytes: number) => (bytes * BITS_PER_BYTE * 1000) / BAUD;

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
