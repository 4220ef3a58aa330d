import { findExecutable } from '../apply/post-steps.ts';
import { usageError } from '../errors.ts';
import type { Reporter } from '../io.ts';

/**
 * `add` and `update` rewrite files, so they insist on a clean git tree: then
 * `git diff` shows exactly what they did and `git checkout .` undoes it (the
 * lesson of cruft #44, whose users lost edits an update could not apply).
 * Untracked files count as dirty, since a new template file may land on one.
 * Outside a repository there is nothing to check; the user is told so.
 */
export async function assertCleanTree(root: string, allowDirty: boolean, reporter: Reporter): Promise<void> {
  const git = findExecutable('git');
  if (!git) {
    reporter.warn('git is not installed, so there is no history to fall back on: review the changes with --dry-run first.');
    return;
  }
  const { execa } = await import('execa');
  const inside = await execa(git, ['rev-parse', '--is-inside-work-tree'], { cwd: root, reject: false, stdin: 'ignore' });
  if (inside.failed || String(inside.stdout).trim() !== 'true') {
    reporter.warn('This project is not in a git repository, so there is no history to fall back on: review the changes with --dry-run first.');
    return;
  }
  if (allowDirty) return;
  const status = await execa(git, ['status', '--porcelain', '--untracked-files=all', '--', '.'], {
    cwd: root,
    reject: false,
    stdin: 'ignore',
  });
  if (status.failed) {
    throw usageError(`git status failed in ${root}: ${status.shortMessage ?? ''}`.trim());
  }
  const changed = String(status.stdout).split('\n').filter((line) => line.trim() !== '');
  if (changed.length === 0) return;
  const shown = changed.slice(0, 10);
  if (changed.length > shown.length) shown.push(`... and ${changed.length - shown.length} more`);
  throw usageError('The git working tree has uncommitted changes.', [
    ...shown,
    'Commit or stash them first, so the update can be reviewed and undone with git; or pass --allow-dirty.',
  ]);
}
