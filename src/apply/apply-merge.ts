import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.ts';
import { MANIFEST_FILE } from '../manifest/manifest.ts';
import type { DiskFile, FileDecision } from '../merge/merge-project.ts';
import { Transaction } from './transaction.ts';
import { applyJournal, prepareJournal, type JournalChange } from './update-journal.ts';

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

/**
 * Writes the merge decisions into the project, the manifest last (so a
 * manifest never describes files that are not there), through an update
 * journal: until the returned transaction is committed, `rollback()` (or the
 * next run, after a kill) puts every byte back.
 */
export async function applyDecisions(
  root: string,
  decisions: readonly FileDecision[],
  manifest: Buffer | undefined,
  signal?: AbortSignal,
): Promise<Transaction> {
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
  assertWritable(root, changes);
  const transaction = new Transaction();
  if (changes.length === 0) return transaction;
  const dir = prepareJournal(root, changes);
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
 * a symlink: never followed, never merged).
 */
export function readProjectFiles(root: string, paths: Iterable<string>): Map<string, DiskFile> {
  const files = new Map<string, DiskFile>();
  for (const relative of paths) {
    const file = path.join(root, ...relative.split('/'));
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
