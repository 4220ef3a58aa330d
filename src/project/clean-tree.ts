import { execFile } from 'node:child_process';
import { findExecutable } from '../apply/post-steps.ts';
import { usageError } from '../errors.ts';
import type { Reporter } from '../io.ts';
import { LOCK_FILE } from './project-lock.ts';

/**
 * `add` and `update` rewrite files, so they insist on a clean git tree: then
 * `git diff` shows exactly what they did and `git checkout .` undoes it (the
 * lesson of cruft #44, whose users lost edits an update could not apply).
 * Untracked files count as dirty, since a new template file may land on one.
 * Outside a repository there is nothing to check; the user is told so.
 */
/**
 * A read-only git query. node:child_process rather than execa: two short
 * queries with no streaming or cancellation to manage, on the path of `update`,
 * where loading execa alone was a tenth of the command's time.
 */
function git(file: string, args: readonly string[], cwd: string): Promise<{ ok: boolean; stdout: string; message: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout, message: error ? `${stderr}`.trim() || error.message : '' });
    }).stdin?.end();
  });
}

export async function assertCleanTree(root: string, allowDirty: boolean, reporter: Reporter): Promise<void> {
  const gitFile = findExecutable('git');
  if (!gitFile) {
    reporter.warn('git is not installed, so there is no history to fall back on: review the changes with --dry-run first.');
    return;
  }
  const inside = await git(gitFile, ['rev-parse', '--is-inside-work-tree'], root);
  if (!inside.ok || inside.stdout.trim() !== 'true') {
    reporter.warn('This project is not in a git repository, so there is no history to fall back on: review the changes with --dry-run first.');
    return;
  }
  if (allowDirty) return;
  // The project lock this very run holds is not a change of the user's.
  const status = await git(gitFile, ['status', '--porcelain', '--untracked-files=all', '--', '.', `:(exclude)${LOCK_FILE}`], root);
  if (!status.ok) throw usageError(`git status failed in ${root}: ${status.message}`.trim());
  const changed = status.stdout.split('\n').filter((line) => line.trim() !== '');
  if (changed.length === 0) return;
  const shown = changed.slice(0, 10);
  if (changed.length > shown.length) shown.push(`... and ${changed.length - shown.length} more`);
  throw usageError('The git working tree has uncommitted changes.', [
    ...shown,
    'Commit or stash them first, so the update can be reviewed and undone with git; or pass --allow-dirty.',
  ]);
}

/**
 * Which of `paths` (relative to `root`) git tracks: a folder the tool only
 * ever creates and deletes itself (a journal) is not the tool's own work if it
 * came in a commit. Empty outside a repository or without git.
 */
export async function trackedPaths(root: string, paths: readonly string[]): Promise<Set<string>> {
  const gitFile = findExecutable('git');
  if (!gitFile || paths.length === 0) return new Set();
  const listed = await git(gitFile, ['ls-files', '-z', '--full-name', '--', ...paths], root);
  if (!listed.ok) return new Set();
  const prefix = await git(gitFile, ['rev-parse', '--show-prefix'], root);
  const base = prefix.ok ? prefix.stdout.trim() : '';
  const files = listed.stdout.split('\0').filter((line) => line !== '').map((line) => (line.startsWith(base) ? line.slice(base.length) : line));
  return new Set(paths.filter((item) => files.some((file) => file === item || file.startsWith(`${item}/`))));
}
