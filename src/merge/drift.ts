import { diffIndices } from 'node-diff3';
import { isBinary } from '../manifest/manifest.ts';
import type { BaseFile, DiskFile, NextFile } from './merge-project.ts';
import type { OwnedFile } from '../manifest/manifest.ts';
import { changesBetween, changesDiff, driftingChanges, isAccepted, type Change } from './drift-hunks.ts';
import { hasConflictMarkers, toLines } from './text-lines.ts';

export type DriftKind =
  /** Lines the generator wrote were changed or removed by hand. */
  | 'edited'
  /** The generator now writes something else: `update` would change the file. */
  | 'outdated'
  /** A template-owned file is not there. */
  | 'missing'
  /** A conflict from an earlier update was never resolved. */
  | 'conflict-markers'
  /** No longer generated, still on disk unchanged: `update` would remove it. */
  | 'obsolete';

export interface Drift {
  readonly path: string;
  readonly kind: DriftKind;
  readonly detail: string;
  /**
   * `edited` and `outdated`: the unified diff, generated → yours, of the hunks
   * that drifted (lines you only added are left out unless --strict).
   */
  readonly diff?: string;
  /** The drifting changes, each where it is in the file on disk (`own PATH:LINE` takes one). */
  readonly changes?: readonly { readonly line: number; readonly removed: readonly string[]; readonly added: readonly string[] }[];
}

/**
 * True when every line of `generated` is still in `actual`, in order and
 * unchanged: the file is the generated one plus lines you added. Line endings
 * and the final newline do not count.
 */
export function onlyAdditions(generated: Buffer, actual: Buffer): boolean {
  const wanted = toLines(generated.toString('utf8')).lines;
  const have = toLines(actual.toString('utf8')).lines;
  return diffIndices([...wanted], [...have]).every((hunk) => hunk.buffer1[1] === 0);
}

function editedDetail(strict: boolean): string {
  return strict ? 'differs from the generated file' : 'generated lines were changed or removed';
}

/** What `check` shows of the changes that drifted. */
function shown(path: string, generated: Buffer, disk: Buffer, changes: readonly Change[]): Pick<Drift, 'diff' | 'changes'> {
  return {
    diff: changesDiff(path, generated, disk, changes),
    changes: changes.map((change) => ({ line: change.line, removed: change.removed, added: change.added })),
  };
}

/**
 * `check`: the template-owned files (policy `merge`) that no longer
 * match what the generator produces for the recorded answers. Files you own
 * (policy `once`, or never generated) are not looked at, and lines you only
 * added to a template-owned file are your edits, not drift, unless `strict`.
 * What you took as yours with `own` is not drift either: a whole file is then
 * only checked for conflict markers, and accepted changes are found again by
 * content. Pure: the three versions of every file in, the drifted ones out.
 */
export function findDrift(input: {
  readonly base: ReadonlyMap<string, BaseFile>;
  readonly next: ReadonlyMap<string, NextFile>;
  readonly disk: ReadonlyMap<string, DiskFile>;
  readonly strict: boolean;
  readonly owned?: Readonly<Record<string, OwnedFile>>;
}): Drift[] {
  const drift: Drift[] = [];
  const paths = [...new Set([...input.base.keys(), ...input.next.keys()])].sort();
  for (const path of paths) {
    const base = input.base.get(path);
    const next = input.next.get(path);
    const disk = input.disk.get(path);
    const owned = input.owned?.[path];
    const templateChanged = !base || !next || !base.content.equals(next.content);
    if (!next) {
      if (base?.policy === 'merge' && Buffer.isBuffer(disk) && disk.equals(base.content)) {
        drift.push({ path, kind: 'obsolete', detail: 'no longer generated; `update` removes it' });
      }
      continue;
    }
    if (next.policy !== 'merge') continue;
    if (disk === undefined) {
      if (owned?.file) continue;
      drift.push({
        path,
        kind: 'missing',
        detail: base ? 'deleted' : 'new in this version of the generator; `update` adds it',
      });
      continue;
    }
    if (!Buffer.isBuffer(disk)) {
      drift.push({ path, kind: 'edited', detail: 'something other than a regular file is there' });
      continue;
    }
    if (disk.equals(next.content)) continue;
    if (!isBinary(disk) && hasConflictMarkers(disk.toString('utf8'))) {
      drift.push({ path, kind: 'conflict-markers', detail: 'unresolved conflict markers' });
      continue;
    }
    if (owned?.file) continue;
    if (isBinary(disk) || isBinary(next.content) || (base && isBinary(base.content))) {
      if (!base) drift.push({ path, kind: 'outdated', detail: 'new in this version of the generator, and another file is there' });
      else if (disk.equals(base.content)) drift.push({ path, kind: 'outdated', detail: 'the template changed since the last update; run `update`' });
      else drift.push({ path, kind: 'edited', detail: `${editedDetail(input.strict)}${templateChanged ? ', and the template changed since the last update' : ''}` });
      continue;
    }
    const accepted = owned?.changes ?? [];
    const drifting = (generated: Buffer): Change[] =>
      driftingChanges(changesBetween(generated, disk), input.strict).filter((change) => !isAccepted(change, accepted));
    const fromNext = drifting(next.content);
    if (fromNext.length === 0) {
      // Only line endings or the final newline differ: drift for --strict alone, as before.
      if (input.strict && changesBetween(next.content, disk).length === 0 && accepted.length === 0) {
        drift.push({ path, kind: 'edited', detail: 'line endings or the final newline differ from the generated file' });
      }
      continue;
    }
    if (!base) {
      drift.push({ path, kind: 'outdated', detail: 'new in this version of the generator, and another file is there', ...shown(path, next.content, disk, fromNext) });
    } else if (drifting(base.content).length === 0) {
      drift.push({ path, kind: 'outdated', detail: 'the template changed since the last update; run `update`', ...shown(path, next.content, disk, fromNext) });
    } else {
      const since = templateChanged ? ', and the template changed since the last update' : '';
      drift.push({ path, kind: 'edited', detail: `${editedDetail(input.strict)}${since}`, ...shown(path, next.content, disk, fromNext) });
    }
  }
  return drift;
}
