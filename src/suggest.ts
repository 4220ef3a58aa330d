/**
 * "Did you mean" for names typed on the command line: milestones, features,
 * option values, commands and flags. Small enough to own: an edit distance
 * with adjacent transpositions (so `udpate` is one edit from `update`) and a
 * threshold that grows with the word.
 */

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i += 1) {
    for (let j = 1; j < cols; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** How many edits still count as a typo: one in a short word, more in a long one. */
function tolerance(word: string): number {
  if (word.length <= 5) return 1;
  if (word.length <= 10) return 2;
  return 3;
}

/**
 * The candidate the input most likely meant, or undefined when none is close:
 * the nearest within the tolerance (case ignored), else the only candidate the
 * input is the beginning of (`background` → `background-jobs`). Ties go to the
 * earlier candidate, so the caller's order (the catalog's) decides.
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  if (typed === '') return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance === 0) return candidate;
    if (distance <= tolerance(candidate) && (!best || distance < best.distance)) best = { candidate, distance };
  }
  if (best) return best.candidate;
  const starts = typed.length >= 3 ? candidates.filter((candidate) => candidate.toLowerCase().startsWith(typed)) : [];
  return starts.length === 1 ? starts[0] : undefined;
}

/** The detail line of an error: `Did you mean "x"?`, or nothing. */
export function didYouMean(input: string, candidates: readonly string[], format: (candidate: string) => string = (c) => `"${c}"`): string[] {
  const match = closestMatch(input, candidates);
  return match === undefined ? [] : [`Did you mean ${format(match)}?`];
}
