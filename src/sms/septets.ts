/**
 * Septet packing, TS 23.038 §6.1.2.1.1: septets are laid LSB-first into a continuous bit stream. `startSeptet` is
 * where the text begins inside the user data: after a UDH of L octets it is ceil(L*8/7), which leaves the fill
 * bits (TS 23.040 §9.2.3.24) between the header and the first character.
 */
export function packSeptets(septets: ArrayLike<number>, startSeptet = 0): Uint8Array {
  const totalSeptets = startSeptet + septets.length;
  const out = new Uint8Array(Math.ceil((totalSeptets * 7) / 8));
  for (let i = 0; i < septets.length; i++) {
    const bit = (startSeptet + i) * 7;
    const index = bit >> 3;
    const shift = bit & 7;
    const value = septets[i]! & 0x7f;
    out[index] = out[index]! | ((value << shift) & 0xff);
    if (shift > 1) out[index + 1] = out[index + 1]! | (value >> (8 - shift));
  }
  return out;
}

/** Reads `count` septets starting at septet `startSeptet` of `bytes`; the caller has checked the length. */
export function unpackSeptets(bytes: Uint8Array, count: number, startSeptet = 0): number[] {
  const out: number[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const bit = (startSeptet + i) * 7;
    const index = bit >> 3;
    const shift = bit & 7;
    let value = (bytes[index] ?? 0) >> shift;
    if (shift > 1) value |= (bytes[index + 1] ?? 0) << (8 - shift);
    out[i] = value & 0x7f;
  }
  return out;
}

/** Octets that `septets` septets occupy. */
export function septetOctets(septets: number): number {
  return Math.ceil((septets * 7) / 8);
}
