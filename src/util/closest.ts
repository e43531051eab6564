/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/**
 * The candidate a mistyped word most likely meant, for "did you mean …?" hints (config keys, subcommands), or null
 * when none is within three edits: a far-off guess misleads more than no guess.
 */
export function closestMatch(candidates: readonly string[], wrong: string): string | null {
  let best: string | null = null;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const d = editDistance(candidate, wrong);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}
