/**
 * How far apart two names are, for "did you mean …": the unknown CloudFormation property's nearest names, an unknown
 * rule id's close ids.
 */

/**
 * The names nearest to a misspelled one, by edit distance (Damerau–Levenshtein, optimal string alignment; a change
 * of case only counts as a small fraction of an edit so `bucketName` finds `BucketName`): those at the smallest
 * distance, at most three, and only within a distance that still reads as a typo (a third of the name's length, at
 * least 2).
 */
export function nearestNames(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best = Infinity;
  let out: string[] = [];
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - name.length) > limit) {
      continue;
    }
    const distance = editDistance(name, candidate);
    if (distance > limit) {
      continue;
    }
    if (distance < best) {
      best = distance;
      out = [candidate];
    } else if (distance === best) {
      out.push(candidate);
    }
  }
  return out.sort().slice(0, 3);
}

/** Optimal string alignment distance, where substituting a letter by itself in another case costs 0.1. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) {
    d[i * cols] = i;
  }
  for (let j = 0; j < cols; j++) {
    d[j] = j;
  }
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const x = a[i - 1]!;
      const y = b[j - 1]!;
      const cost = x === y ? 0 : x.toLowerCase() === y.toLowerCase() ? 0.1 : 1;
      let value = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && x === b[j - 2] && a[i - 2] === y) {
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
