import { compareModules } from '../render/python-imports.ts';

/**
 * Lines a micro-generator adds to a file the templates own (`routes.py`,
 * `db/models.py`), anchored on a marker comment the template places
 * (docs/ARCHITECTURE.md, "Markers for generate resource").
 *
 * Insertions are data, recorded in the manifest: `generate` applies them to the
 * file on disk, and `update`/`check` replay them on every new render of the
 * template, so a generated router stays registered through template upgrades
 * and the file's pristine copy is "template + insertions".
 */
export type Placement =
  /** The lines go right above the marker. */
  | 'above'
  /** An import statement, among the first-party imports right above the marker, in isort order. */
  | 'sorted-import'
  /** A `"Name",` entry among the `__all__` entries right above the marker, in ruff's RUF022 order. */
  | 'sorted-all';

export interface Insertion {
  /** Project-relative path, forward slashes. */
  readonly path: string;
  /** The marker comment, exactly as the template writes it (without its indentation). */
  readonly marker: string;
  readonly placement: Placement;
  /** What to insert, without the marker's indentation; may span lines. */
  readonly text: string;
}

export type InsertionResult = { readonly ok: true; readonly content: string } | { readonly ok: false; readonly error: string };

function findMarker(lines: readonly string[], marker: string): number | string {
  const found = lines.flatMap((line, index) => (line.trim() === marker ? [index] : []));
  if (found.length === 0) return `the marker line "${marker}" is missing`;
  if (found.length > 1) return `the marker line "${marker}" appears ${found.length} times`;
  return found[0]!;
}

function moduleOf(statement: string): string {
  return /^(?:from|import)\s+([\w.]+)/.exec(statement)?.[1] ?? '';
}

/** The import statements (each possibly several lines) in `lines[start..end]`. */
function statementsIn(lines: readonly string[], start: number, end: number): { start: number; end: number; module: string }[] {
  const statements: { start: number; end: number; module: string }[] = [];
  for (let index = start; index <= end; index += 1) {
    const line = lines[index]!;
    if (/^(from|import)\s/.test(line)) statements.push({ start: index, end: index, module: moduleOf(line) });
    else if (statements.length > 0) statements[statements.length - 1]!.end = index;
  }
  return statements;
}

function insertSortedImport(lines: string[], markerIndex: number, text: string): void {
  const newLines = text.split('\n');
  const module = moduleOf(text);
  const root = module.split('.')[0];
  let end = markerIndex - 1;
  if (end >= 0 && lines[end]!.trim() === '') end -= 1;
  let start = end;
  while (start > 0 && lines[start - 1]!.trim() !== '') start -= 1;
  const statements = end >= 0 && lines[end]!.trim() !== '' ? statementsIn(lines, start, end) : [];
  const firstParty = statements.length > 0 && statements.every((statement) => statement.module.split('.')[0] === root);
  if (!firstParty) {
    // No first-party block above the marker yet: open one, separated like isort does.
    const at = end + 1;
    lines.splice(at, 0, ...(at > 0 ? [''] : []), ...newLines);
    return;
  }
  const after = statements.find((statement) => compareModules(statement.module, module) > 0);
  lines.splice(after ? after.start : end + 1, 0, ...newLines);
}

/** RUF022's "isort-style" order: SCREAMING_CASE, then CamelCase, then the rest; natural order within each. */
export function compareDunderAll(a: string, b: string): number {
  const rank = (name: string): number => (name.length > 1 && name === name.toUpperCase() ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  const difference = rank(a) - rank(b);
  if (difference !== 0) return difference;
  const chunks = (name: string): string[] => name.match(/\d+|\D+/g) ?? [];
  const left = chunks(a);
  const right = chunks(b);
  for (let index = 0; index < Math.min(left.length, right.length); index += 1) {
    const l = left[index]!;
    const r = right[index]!;
    if (l === r) continue;
    if (/^\d/.test(l) && /^\d/.test(r)) return Number(l) - Number(r) || l.length - r.length;
    return l < r ? -1 : 1;
  }
  return left.length - right.length;
}

function insertSortedAll(lines: string[], markerIndex: number, indent: string, text: string): string | undefined {
  const name = /^"([^"]+)",$/.exec(text)?.[1];
  if (name === undefined) return `cannot insert ${text} into __all__`;
  let start = markerIndex;
  while (start > 0 && /^\s+"[^"]+",\s*$/.test(lines[start - 1]!)) start -= 1;
  let at = markerIndex;
  for (let index = start; index < markerIndex; index += 1) {
    const existing = /"([^"]+)"/.exec(lines[index]!)?.[1] ?? '';
    if (compareDunderAll(existing, name) > 0) {
      at = index;
      break;
    }
  }
  lines.splice(at, 0, `${indent}${text}`);
  return undefined;
}

/** Applies one insertion to a file's text. Pure: a missing or doubled marker is an error result, never a throw. */
export function applyInsertion(content: string, insertion: Insertion): InsertionResult {
  const lines = content.split('\n');
  const markerIndex = findMarker(lines, insertion.marker);
  if (typeof markerIndex === 'string') return { ok: false, error: `${insertion.path}: ${markerIndex}` };
  const indent = /^\s*/.exec(lines[markerIndex]!)?.[0] ?? '';
  const indented = insertion.text
    .split('\n')
    .map((line) => (line === '' ? line : `${indent}${line}`))
    .join('\n');
  if (insertion.placement === 'above') {
    lines.splice(markerIndex, 0, ...indented.split('\n'));
  } else if (insertion.placement === 'sorted-import') {
    insertSortedImport(lines, markerIndex, indented);
  } else {
    const error = insertSortedAll(lines, markerIndex, indent, insertion.text);
    if (error) return { ok: false, error: `${insertion.path}: ${error}` };
  }
  return { ok: true, content: lines.join('\n') };
}

/**
 * Replays recorded insertions, in order, on freshly rendered files (`update`,
 * `check`): the result is what the file would be had the generator run on this
 * version of the template. Files without insertions are returned unchanged.
 */
export function replayInsertions(
  files: ReadonlyMap<string, string>,
  insertions: readonly Insertion[],
): { readonly files: Map<string, string>; readonly failures: readonly string[] } {
  const out = new Map(files);
  const failures: string[] = [];
  for (const insertion of insertions) {
    const current = out.get(insertion.path);
    if (current === undefined) {
      failures.push(`${insertion.path}: the file is no longer generated`);
      continue;
    }
    const result = applyInsertion(current, insertion);
    if (result.ok) out.set(insertion.path, result.content);
    else failures.push(result.error);
  }
  return { files: out, failures };
}
