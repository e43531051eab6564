/** ISO 8601 with an explicit offset, as the codec wants for TP-SCTS (the simulator's network runs on UTC). */
export function isoWithOffset(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** Whether a string is an even-length hex string. */
export function isHex(text: string): boolean {
  return text.length % 2 === 0 && /^[0-9A-Fa-f]*$/.test(text);
}
