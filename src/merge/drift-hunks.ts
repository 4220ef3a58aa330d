import { diffIndices } from 'node-diff3';
import { toLines } from './text-lines.ts';

/**
 * One place where a file differs from what the generator writes: generated
 * lines `removed` (changed or deleted) and lines `added` in their place.
 * Line numbers are 1-based; for a pure deletion, `line` is where the removed
 * lines were, on disk.
 */
export interface Change {
  /** Where the change is in the file on disk. */
  readonly line: number;
  /** Where the removed lines are (or the added ones go) in the generated file. */
  readonly generatedLine: number;
  readonly removed: readonly string[];
  readonly added: readonly string[];
  /** The generated line just before the change (null at the top): it places an accepted change. */
  readonly anchor: string | null;
}

/**
 * A change the user took as theirs (`own PATH[:LINE]`), recorded in the
 * manifest: the generated lines it replaces, what replaces them, and the
 * generated line before it. It is found again by content, not by line number,
 * so it survives edits and template changes elsewhere in the file.
 */
export interface AcceptedChange {
  readonly anchor: string | null;
  readonly removed: readonly string[];
  readonly added: readonly string[];
}

/** Every change from `generated` to `yours`, in file order. Line endings and the final newline do not count. */
export function changesBetween(generated: Buffer | string, yours: Buffer | string): Change[] {
  const before = toLines(generated.toString()).lines;
  const after = toLines(yours.toString()).lines;
  return diffIndices([...before], [...after]).map((hunk) => {
    const [start, length] = hunk.buffer1;
    const [yourStart, yourLength] = hunk.buffer2;
    return {
      line: yourStart + 1,
      generatedLine: start + 1,
      removed: before.slice(start, start + length),
      added: after.slice(yourStart, yourStart + yourLength),
      anchor: before[start - 1] ?? null,
    };
  });
}

/** Changes that are drift: any that touches a generated line; with `strict`, added lines too. */
export function driftingChanges(changes: readonly Change[], strict: boolean): Change[] {
  return changes.filter((change) => strict || change.removed.length > 0);
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((line, index) => line === b[index]);

export function isAccepted(change: Change, accepted: readonly AcceptedChange[]): boolean {
  return accepted.some(
    (candidate) => candidate.anchor === change.anchor && sameList(candidate.removed, change.removed) && sameList(candidate.added, change.added),
  );
}

export function toAccepted(change: Change): AcceptedChange {
  return { anchor: change.anchor, removed: [...change.removed], added: [...change.added] };
}

/** True when the change covers `line` of the file on disk (a deletion: the line where it happened). */
export function changeAtLine(change: Change, line: number): boolean {
  return line >= change.line && line < change.line + Math.max(1, change.added.length);
}

const CONTEXT = 3;

/**
 * A unified diff, generated file → yours, of the hunks that hold at least one
 * of the `shown` changes (three lines of context, close changes merged into one
 * hunk, as diff does). `check` passes the drifting changes, so a hunk of lines
 * the user only added is not shown; inside a shown hunk every change is.
 */
export function changesDiff(path: string, generated: Buffer | string, yours: Buffer | string, shown: readonly Change[]): string {
  if (shown.length === 0) return '';
  const before = toLines(generated.toString()).lines;
  const key = (change: Change): string => `${change.generatedLine}:${change.line}`;
  const wanted = new Set(shown.map(key));
  const hunks: Change[][] = [];
  for (const change of changesBetween(generated, yours)) {
    const previous = hunks.at(-1)?.at(-1);
    if (previous && change.generatedLine - (previous.generatedLine + previous.removed.length) <= 2 * CONTEXT) hunks.at(-1)!.push(change);
    else hunks.push([change]);
  }
  const out = [`--- generated/${path}`, `+++ yours/${path}`];
  for (const hunk of hunks.filter((candidate) => candidate.some((change) => wanted.has(key(change))))) {
    const first = hunk[0]!;
    const last = hunk.at(-1)!;
    const oldStart = Math.max(1, first.generatedLine - CONTEXT);
    const oldEnd = Math.min(before.length, last.generatedLine + last.removed.length - 1 + CONTEXT);
    const lines: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let cursor = oldStart;
    const context = (until: number): void => {
      for (; cursor < until; cursor += 1) {
        lines.push(` ${before[cursor - 1] ?? ''}`);
        oldCount += 1;
        newCount += 1;
      }
    };
    for (const change of hunk) {
      context(change.generatedLine);
      lines.push(...change.removed.map((line) => `-${line}`), ...change.added.map((line) => `+${line}`));
      oldCount += change.removed.length;
      newCount += change.added.length;
      cursor = change.generatedLine + change.removed.length;
    }
    context(oldEnd + 1);
    const newStart = first.line - (first.generatedLine - oldStart);
    out.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`, ...lines);
  }
  return `${out.join('\n')}\n`;
}
