import type { FilePolicy } from '../plan/plan-project.ts';
import { isBinary } from '../manifest/manifest.ts';
import { mergeText, type MergeLabels } from './merge-text.ts';

/** What the last generation wrote for a file: the manifest entry and its pristine content. */
export interface BaseFile {
  readonly content: Buffer;
  readonly policy: FilePolicy;
}

/** What the generator writes now. */
export interface NextFile {
  readonly content: Buffer;
  readonly policy: FilePolicy;
  readonly executable: boolean;
}

/** The file on disk: its bytes, or a note that something other than a regular file is there. */
export type DiskFile = Buffer | { readonly notAFile: true };

export type FileOutcome =
  /** New in the plan; written. */
  | 'created'
  /** You never changed it; replaced by the new version. */
  | 'updated'
  /** Your changes and the template's, merged without conflict. */
  | 'merged'
  /** Written with conflict markers for you to resolve. */
  | 'conflict'
  /** No longer generated and you never changed it; deleted. */
  | 'removed'
  /** You deleted it and the template changed it since: it stays deleted. */
  | 'kept-deleted'
  /** Left exactly as it is on disk, for the reason given. */
  | 'kept-yours'
  /** Nothing to do. */
  | 'unchanged';

export interface FileDecision {
  readonly path: string;
  readonly outcome: FileOutcome;
  /** One line for the report, for the outcomes that need explaining. */
  readonly reason?: string;
  /** The new content, for created, updated, merged and conflict. */
  readonly content?: Buffer;
  /** The content on disk before, when there was a file. */
  readonly previous?: Buffer;
  /** Mode for a file that did not exist; existing files keep theirs. */
  readonly executable?: boolean;
  readonly conflicts?: number;
}

/** Labels for conflict blocks in one file: `base` may differ for a file the template adds over yours. */
export interface LabelsFor {
  (path: string, kind: 'update' | 'new-over-yours'): MergeLabels;
}

/** Outcomes that write or delete something. */
export function changesDisk(decision: FileDecision): boolean {
  return decision.content !== undefined || decision.outcome === 'removed';
}

/**
 * Files whose lines form an unordered list: two insertions at the same place
 * are both kept (git's `merge=union` idea), since neither order is wrong.
 */
const UNION_FILES: ReadonlySet<string> = new Set(['.gitignore', '.dockerignore', '.env.example']);

export function isUnionFile(path: string): boolean {
  return UNION_FILES.has(path.split('/').pop() ?? path);
}

function textMerge(
  path: string,
  base: Buffer,
  template: Buffer,
  yours: Buffer,
  labels: MergeLabels,
): FileDecision {
  const result = mergeText({
    base: base.toString('utf8'),
    template: template.toString('utf8'),
    yours: yours.toString('utf8'),
    labels,
    union: isUnionFile(path),
  });
  const content = Buffer.from(result.text, 'utf8');
  if (result.conflicts > 0) {
    return { path, outcome: 'conflict', content, previous: yours, conflicts: result.conflicts };
  }
  if (content.equals(yours)) return { path, outcome: 'unchanged' };
  return { path, outcome: 'merged', content, previous: yours };
}

function decide(
  path: string,
  base: BaseFile | undefined,
  next: NextFile | undefined,
  disk: DiskFile | undefined,
  labelsFor: LabelsFor,
): FileDecision {
  if (disk !== undefined && !Buffer.isBuffer(disk)) {
    return { path, outcome: 'kept-yours', reason: 'something other than a regular file is there; left alone' };
  }
  if (!next) {
    if (!base || disk === undefined) return { path, outcome: 'unchanged' };
    if (base.policy === 'once') return { path, outcome: 'unchanged' };
    if (disk.equals(base.content)) return { path, outcome: 'removed', previous: disk };
    return { path, outcome: 'kept-yours', reason: 'no longer generated, but you changed it: it is yours now' };
  }
  if (disk === undefined) {
    if (!base) return { path, outcome: 'created', content: next.content, executable: next.executable };
    if (next.policy === 'merge' && !next.content.equals(base.content)) {
      return { path, outcome: 'kept-deleted', reason: 'you deleted it; the template changed it, but it stays deleted' };
    }
    return { path, outcome: 'unchanged' };
  }
  if (disk.equals(next.content)) return { path, outcome: 'unchanged' };
  if (!base) {
    // The template now adds a file where you already have one (copier #1587): never overwritten.
    if (next.policy === 'once') {
      return { path, outcome: 'kept-yours', reason: 'you already have this file; it is yours to keep' };
    }
    if (isBinary(disk) || isBinary(next.content)) {
      return { path, outcome: 'kept-yours', reason: 'binary: the template adds a file here, but yours is kept' };
    }
    return textMerge(path, Buffer.alloc(0), next.content, disk, labelsFor(path, 'new-over-yours'));
  }
  if (next.policy === 'once' || base.policy === 'once') return { path, outcome: 'unchanged' };
  if (disk.equals(base.content)) return { path, outcome: 'updated', content: next.content, previous: disk };
  if (next.content.equals(base.content)) return { path, outcome: 'unchanged' };
  if (isBinary(disk) || isBinary(next.content) || isBinary(base.content)) {
    return { path, outcome: 'kept-yours', reason: 'binary and changed on both sides: yours is kept (binary files are never merged)' };
  }
  return textMerge(path, base.content, next.content, disk, labelsFor(path, 'update'));
}

/**
 * Decides, for every file the last generation wrote or this one writes, what
 * happens to it (README, "how each file is merged"). Pure: the
 * three versions of every file in, decisions out; nothing is read or written.
 * A line of yours is never dropped: files you changed are merged (or kept), a
 * file you deleted stays deleted, and a file you changed that the template no
 * longer produces stays.
 */
export function planMerge(input: {
  readonly base: ReadonlyMap<string, BaseFile>;
  readonly next: ReadonlyMap<string, NextFile>;
  readonly disk: ReadonlyMap<string, DiskFile>;
  readonly labelsFor: LabelsFor;
}): FileDecision[] {
  const paths = [...new Set([...input.base.keys(), ...input.next.keys()])].sort();
  return paths.map((path) =>
    decide(path, input.base.get(path), input.next.get(path), input.disk.get(path), input.labelsFor),
  );
}
