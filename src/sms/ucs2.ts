/**
 * UCS-2 user data is read and written as UTF-16BE (what every phone actually sends), so a surrogate pair (emoji)
 * survives. A lone surrogate (a pair split across concatenated parts by a careless sender) stays a lone code unit
 * in the part's text and joins up again when the parts are concatenated.
 */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[i * 2] = unit >> 8;
    out[i * 2 + 1] = unit & 0xff;
  }
  return out;
}

/** The caller has checked that `bytes` has an even length. */
export function decodeUcs2(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) out += String.fromCharCode((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}
