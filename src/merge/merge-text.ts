import { diff3Merge, diffIndices } from 'node-diff3';
import { MARKERS, fromLines, sameLines, toLines, type TextLines } from './text-lines.ts';

/** What each side of a conflict block is called in the file. */
export interface MergeLabels {
  /** The user's file on disk. */
  readonly yours: string;
  /** What the generator wrote last time (the merge base). */
  readonly base: string;
  /** What the generator writes now. */
  readonly template: string;
}

export interface TextMergeResult {
  readonly text: string;
  /** Conflict blocks written into `text`; 0 means the merge is clean. */
  readonly conflicts: number;
}

type Piece =
  | { readonly kind: 'ok'; readonly lines: readonly string[] }
  | {
      readonly kind: 'conflict';
      readonly yours: readonly string[];
      readonly base: readonly string[];
      readonly template: readonly string[];
    };

/** One side's change to the base: base lines [start, end) become `lines` (an insertion when start === end). */
interface Hunk {
  readonly side: 'yours' | 'template';
  readonly start: number;
  readonly end: number;
  readonly lines: readonly string[];
}

function hunksOf(side: Hunk['side'], base: readonly string[], changed: readonly string[]): Hunk[] {
  return diffIndices([...base], [...changed]).map((hunk) => ({
    side,
    start: hunk.buffer1[0],
    end: hunk.buffer1[0] + hunk.buffer1[1],
    lines: hunk.buffer2Content,
  }));
}

function sameHunk(a: Hunk, b: Hunk): boolean {
  return a.start === b.start && a.end === b.end && sameLines(a.lines, b.lines);
}

/** True when `lines` appear in `within`, one after the other. */
function holds(within: readonly string[], lines: readonly string[]): boolean {
  for (let at = 0; at + lines.length <= within.length; at += 1) {
    if (sameLines(within.slice(at, at + lines.length), lines)) return true;
  }
  return false;
}

/**
 * An insertion right before or after the other side's change, whose lines that
 * change already writes: both sides added those lines there (you took part of
 * the new version by hand), so applying both would write them twice.
 */
function heldByOtherSide(insert: Hunk, hunks: readonly Hunk[]): boolean {
  if (insert.start !== insert.end) return false;
  return hunks.some(
    (other) =>
      other.side !== insert.side &&
      other.start !== other.end &&
      (other.start === insert.start || other.end === insert.start) &&
      holds(other.lines, insert.lines),
  );
}

/**
 * An insertion right before or after a change that writes some of the same
 * lines: applying both would write those lines twice, so they are resolved
 * together (and conflict unless trimming settles them).
 */
function nextToWithCommonLines(insert: Hunk, change: Hunk): boolean {
  return (insert.start === change.start || insert.start === change.end) && insert.lines.some((line) => change.lines.includes(line));
}

/**
 * Two changes from different sides conflict when they touch the same base
 * lines, or insert different text at the same point (nobody can say which goes
 * first). Changes to neighbouring lines do not: that is the commonest noisy
 * conflict of line-based merges (git's and copier's included), and both edits
 * can be applied exactly.
 */
function clash(a: Hunk, b: Hunk): boolean {
  if (a.side === b.side) return false;
  const aInsert = a.start === a.end;
  const bInsert = b.start === b.end;
  if (aInsert && bInsert) return a.start === b.start;
  if (aInsert) return (b.start < a.start && a.start < b.end) || nextToWithCommonLines(a, b);
  if (bInsert) return (a.start < b.start && b.start < a.end) || nextToWithCommonLines(b, a);
  return a.start < b.end && b.start < a.end;
}

/** Base lines [start, end) with one side's hunks (all inside that range) applied. */
function applyHunks(base: readonly string[], start: number, end: number, hunks: readonly Hunk[]): string[] {
  const out: string[] = [];
  let position = start;
  for (const hunk of hunks) {
    out.push(...base.slice(position, hunk.start), ...hunk.lines);
    position = hunk.end;
  }
  out.push(...base.slice(position, end));
  return out;
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let count = 0;
  while (count < a.length && count < b.length && a[count] === b[count]) count += 1;
  return count;
}

function commonSuffix(a: readonly string[], b: readonly string[], limit: number): number {
  let count = 0;
  while (count < limit && a[a.length - 1 - count] === b[b.length - 1 - count]) count += 1;
  return count;
}

/**
 * Shrinks a conflict to the lines the two sides really disagree on: lines both
 * sides have at the start or end of the block are written once, outside it.
 * When the trimmed lines were in the base too (or the base is empty: both sides
 * only inserted), a side left equal to the base made no change there, so the
 * other side wins and the conflict disappears.
 */
function trimConflict(yours: readonly string[], base: readonly string[], template: readonly string[]): Piece[] {
  const prefix = commonPrefix(yours, template);
  const suffix = commonSuffix(yours, template, Math.min(yours.length, template.length) - prefix);
  const head = yours.slice(0, prefix);
  const tail = yours.slice(yours.length - suffix);
  const y = yours.slice(prefix, yours.length - suffix);
  const t = template.slice(prefix, template.length - suffix);
  const baseAgrees =
    base.length === 0 ||
    (commonPrefix(base, head) === prefix &&
      base.length >= prefix + suffix &&
      sameLines(base.slice(base.length - suffix), tail));
  const b = baseAgrees && base.length > 0 ? base.slice(prefix, base.length - suffix) : base;
  const pieces: Piece[] = [];
  pieces.push({ kind: 'ok', lines: head });
  if (sameLines(y, t)) pieces.push({ kind: 'ok', lines: y });
  else if (baseAgrees && sameLines(y, b)) pieces.push({ kind: 'ok', lines: t });
  else if (baseAgrees && sameLines(t, b)) pieces.push({ kind: 'ok', lines: y });
  else pieces.push({ kind: 'conflict', yours: y, base: b, template: t });
  pieces.push({ kind: 'ok', lines: tail });
  return pieces;
}

/**
 * Resolves one region diff3 could not: each side's changes to the region's base
 * are computed separately, changes that do not clash are applied, and only
 * clashing clusters become (trimmed) conflict blocks.
 */
function resolveRegion(yours: readonly string[], base: readonly string[], template: readonly string[]): Piece[] {
  // diff3 (with false conflicts excluded) never hands over a region where two sides agree; if it
  // did, the hunks below would settle it the same way: no hunk on the unchanged side, or twins.
  const mine = hunksOf('yours', base, yours);
  // The same change made on both sides is one change, never a conflict.
  const theirs = hunksOf('template', base, template).filter((hunk) => !mine.some((other) => sameHunk(hunk, other)));
  const all = [...mine, ...theirs];
  // At one start, an insertion (the shorter hunk) goes before a change.
  const hunks = all.filter((hunk) => !heldByOtherSide(hunk, all)).sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: Piece[] = [];
  let position = 0;
  let index = 0;
  while (index < hunks.length) {
    const first = hunks[index] as Hunk;
    const cluster = [first];
    index += 1;
    while (index < hunks.length && cluster.some((member) => clash(member, hunks[index] as Hunk))) {
      cluster.push(hunks[index] as Hunk);
      index += 1;
    }
    pieces.push({ kind: 'ok', lines: base.slice(position, first.start) });
    const start = first.start;
    const end = Math.max(...cluster.map((hunk) => hunk.end));
    if (cluster.length === 1) {
      pieces.push({ kind: 'ok', lines: first.lines });
    } else {
      pieces.push(
        ...trimConflict(
          applyHunks(base, start, end, cluster.filter((hunk) => hunk.side === 'yours')),
          base.slice(start, end),
          applyHunks(base, start, end, cluster.filter((hunk) => hunk.side === 'template')),
        ),
      );
    }
    position = end;
  }
  pieces.push({ kind: 'ok', lines: base.slice(position) });
  return pieces;
}

/**
 * The line-ending question, answered three ways like any other change: your
 * endings, unless you kept the base's and the template changed them. Against an
 * empty base (a file of yours the template now adds) yours are kept.
 */
function mergeEol(yours: TextLines, base: TextLines, template: TextLines): TextLines['eol'] {
  if (yours.lines.length === 0) return template.eol;
  if (base.lines.length === 0 || template.lines.length === 0) return yours.eol;
  return yours.eol === base.eol ? template.eol : yours.eol;
}

/** The final-newline question, answered three ways like any other change. */
function mergeFinalNewline(yours: TextLines, base: TextLines, template: TextLines): boolean {
  if (yours.lines.length === 0) return template.finalNewline;
  if (template.lines.length === 0) return yours.finalNewline;
  if (base.lines.length === 0) return yours.finalNewline || template.finalNewline;
  return yours.finalNewline === base.finalNewline ? template.finalNewline : yours.finalNewline;
}

/**
 * A three-way line merge: `base` is what the generator wrote
 * last time, `template` what it writes now, `yours` the file on disk.
 * Changes only one side made are taken; identical changes count once; changes
 * to different lines (even neighbouring ones) are both applied; the rest
 * becomes a standard diff3-style conflict block, so no line of either side is
 * ever dropped. Deterministic: the same three inputs always give the same text.
 */
export function mergeText(input: {
  readonly base: string;
  readonly template: string;
  readonly yours: string;
  readonly labels: MergeLabels;
  /**
   * For files that are unordered lists of lines (.gitignore, .env.example):
   * when both sides only inserted lines at the same point, keep both, the
   * template's first, instead of a conflict. Changed base lines still conflict.
   */
  readonly union?: boolean;
}): TextMergeResult {
  const base = toLines(input.base);
  const template = toLines(input.template);
  const yours = toLines(input.yours);
  const regions = diff3Merge([...yours.lines], [...base.lines], [...template.lines], { excludeFalseConflicts: true });
  const pieces: Piece[] = [];
  for (const region of regions) {
    if (region.ok) pieces.push({ kind: 'ok', lines: region.ok });
    else if (region.conflict) pieces.push(...resolveRegion(region.conflict.a, region.conflict.o, region.conflict.b));
  }

  const out: string[] = [];
  let conflicts = 0;
  let endsWithMarker = false;
  for (const piece of pieces) {
    if (piece.kind === 'ok') {
      out.push(...piece.lines);
      if (piece.lines.length > 0) endsWithMarker = false;
      continue;
    }
    if (input.union && piece.base.length === 0) {
      const added = piece.yours.filter((line) => !piece.template.includes(line));
      // Never empty: a conflict with nothing in the base has lines on both sides.
      out.push(...piece.template, ...added);
      endsWithMarker = false;
      continue;
    }
    conflicts += 1;
    out.push(
      `${MARKERS.yours} ${input.labels.yours}`,
      ...piece.yours,
      `${MARKERS.base} ${input.labels.base}`,
      ...piece.base,
      MARKERS.separator,
      ...piece.template,
      `${MARKERS.template} ${input.labels.template}`,
    );
    endsWithMarker = true;
  }
  const eol = mergeEol(yours, base, template);
  const finalNewline = endsWithMarker || mergeFinalNewline(yours, base, template);
  return { text: fromLines(out, finalNewline, eol), conflicts };
}
