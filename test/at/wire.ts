/** Test helpers: literal wire strings fed in every possible two-chunk split, and one byte at a time. */
export function splits(wire: string): Buffer[][] {
  const bytes = Buffer.from(wire, 'latin1');
  const out: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}
