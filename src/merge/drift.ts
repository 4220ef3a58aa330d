import { diffIndices } from 'node-diff3';
import { isBinary } from '../manifest/manifest.ts';
import type { BaseFile, DiskFile, NextFile } from './merge-project.ts';
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

/**
 * `check`: the template-owned files (policy `merge`) that no longer
 * match what the generator produces for the recorded answers. Files you own
 * (policy `once`, or never generated) are not looked at, and lines you only
 * added to a template-owned file are your edits, not drift, unless `strict`.
 * Pure: the three versions of every file in, the drifted ones out.
 */
export function findDrift(input: {
  readonly base: ReadonlyMap<string, BaseFile>;
  readonly next: ReadonlyMap<string, NextFile>;
  readonly disk: ReadonlyMap<string, DiskFile>;
  readonly strict: boolean;
}): Drift[] {
  const drift: Drift[] = [];
  const paths = [...new Set([...input.base.keys(), ...input.next.keys()])].sort();
  for (const path of paths) {
    const base = input.base.get(path);
    const next = input.next.get(path);
    const disk = input.disk.get(path);
    const templateChanged = !base || !next || !base.content.equals(next.content);
    if (!next) {
      if (base?.policy === 'merge' && Buffer.isBuffer(disk) && disk.equals(base.content)) {
        drift.push({ path, kind: 'obsolete', detail: 'no longer generated; `update` removes it' });
      }
      continue;
    }
    if (next.policy !== 'merge') continue;
    if (disk === undefined) {
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
    const binary = isBinary(disk) || isBinary(next.content);
    const addedOnly = (generated: Buffer): boolean => !input.strict && !binary && onlyAdditions(generated, disk);
    if (addedOnly(next.content)) continue;
    if (!base) {
      drift.push({ path, kind: 'outdated', detail: 'new in this version of the generator, and another file is there' });
    } else if (disk.equals(base.content) || addedOnly(base.content)) {
      drift.push({ path, kind: 'outdated', detail: 'the template changed since the last update; run `update`' });
    } else {
      const since = templateChanged ? ', and the template changed since the last update' : '';
      drift.push({ path, kind: 'edited', detail: `${editedDetail(input.strict)}${since}` });
    }
  }
  return drift;
}
