import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.ts';
import { MANIFEST_FILE } from '../manifest/manifest.ts';
import type { DiskFile, FileDecision } from '../merge/merge-project.ts';
import { resolveProjectPath } from '../project/project-paths.ts';
import { Transaction } from './transaction.ts';
import { applyJournal, prepareJournal, type JournalChange, type JournalOwner } from './update-journal.ts';

/** Where a project path points, checked by the project path guard (inside the project, no symlinked folder out of it). */
function projectFile(root: string, relative: string): string {
  return resolveProjectPath(root, relative, { kind: 'plan' }, { allowToolFiles: relative === MANIFEST_FILE });
}

/** Refuses, before anything is written, a change whose folder is a file on disk. */
function assertWritable(root: string, changes: readonly JournalChange[]): void {
  for (const change of changes) {
    const segments = change.path.split('/');
    for (let index = 1; index < segments.length; index += 1) {
      let stat;
      try {
        stat = lstatSync(path.join(root, ...segments.slice(0, index)));
      } catch {
        break;
      }
      if (!stat.isDirectory()) {
        throw usageError(`Cannot write ${change.path}: ${segments.slice(0, index).join('/')} is not a folder.`);
      }
    }
  }
}

export interface ApplyDecisionsOptions {
  readonly root: string;
  readonly decisions: readonly FileDecision[];
  /** The new manifest, written last; undefined when it does not change. */
  readonly manifest: Buffer | undefined;
  /** The project lock held by this run: its nonce goes into the journal. */
  readonly owner: JournalOwner;
  readonly signal?: AbortSignal;
}

/**
 * Writes the merge decisions into the project, the manifest last (so a
 * manifest never describes files that are not there), through an update
 * journal: until the returned transaction is committed, `rollback()` (or the
 * next run, after a kill) puts every byte back. Every path is resolved by the
 * project path guard first: nothing is written through a symlinked folder
 * that leads out of the project.
 */
export async function applyDecisions(options: ApplyDecisionsOptions): Promise<Transaction> {
  const { root, decisions, manifest, signal } = options;
  const changes: JournalChange[] = [];
  for (const decision of decisions) {
    if (decision.content !== undefined) {
      changes.push({
        path: decision.path,
        content: decision.content,
        ...(decision.executable !== undefined ? { executable: decision.executable } : {}),
      });
    } else if (decision.outcome === 'removed') {
      changes.push({ path: decision.path });
    }
  }
  if (manifest) changes.push({ path: MANIFEST_FILE, content: manifest });
  for (const change of changes) projectFile(root, change.path);
  assertWritable(root, changes);
  const transaction = new Transaction();
  if (changes.length === 0) return transaction;
  const dir = prepareJournal(root, changes, options.owner);
  transaction.journaled(root, dir);
  try {
    await applyJournal(root, dir, signal);
  } catch (error) {
    transaction.rollback();
    throw error;
  }
  return transaction;
}

/**
 * Reads the project's copy of each path: its bytes, `undefined` when nothing
 * is there, or a note when something other than a regular file is (a folder,
 * a symlink: never followed, never merged). Each path goes through the project
 * path guard, so nothing outside the project is read either.
 */
export function readProjectFiles(root: string, paths: Iterable<string>): Map<string, DiskFile> {
  const files = new Map<string, DiskFile>();
  for (const relative of paths) {
    const file = projectFile(root, relative);
    let stat;
    try {
      stat = lstatSync(file);
    } catch {
      continue;
    }
    files.set(relative, stat.isFile() ? readFileSync(file) : { notAFile: true });
  }
  return files;
}
