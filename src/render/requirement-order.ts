/**
 * ASCII in the order of Unicode's root collation (what `localeCompare` uses in
 * English): punctuation and symbols, then digits, then letters with case ignored.
 */
const PRIMARY_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz';

function primary(char: string): number {
  const index = PRIMARY_ORDER.indexOf(char.toLowerCase());
  return index < 0 ? PRIMARY_ORDER.length + char.codePointAt(0)! : index;
}

/**
 * The order of dependency lists in the generated pyproject.toml. It is the
 * order `a.localeCompare(b)` gave (test/unit/requirement-order.test.ts holds
 * it to that for ASCII, which PEP 508 requirements are), without its cost:
 * the first localeCompare loads ICU's collation data, about 15 ms, a tenth of
 * the CLI's start-up budget. It also no longer depends on the user's locale.
 */
export function compareRequirements(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const difference = primary(a[index]!) - primary(b[index]!);
    if (difference !== 0) return difference;
  }
  if (a.length !== b.length) return a.length - b.length;
  // Equal but for case: lower case first, at the first difference.
  for (let index = 0; index < length; index += 1) {
    if (a[index] !== b[index]) return a[index] === a[index]!.toLowerCase() ? -1 : 1;
  }
  return 0;
}
