import { createTwoFilesPatch } from 'diff';
import { isBinary } from '../manifest/manifest.ts';
import type { FileDecision } from './merge-project.ts';

/**
 * The unified diff `--dry-run` prints for one decision: what the file on disk
 * would become, in the `a/` → `b/` form git and patch understand. Empty when
 * the decision leaves the disk alone.
 */
export function unifiedDiff(decision: FileDecision): string {
  const removing = decision.outcome === 'removed';
  if (decision.content === undefined && !removing) return '';
  const before = decision.previous;
  const after = removing ? undefined : decision.content;
  const oldName = before ? `a/${decision.path}` : '/dev/null';
  const newName = after ? `b/${decision.path}` : '/dev/null';
  if ((before && isBinary(before)) || (after && isBinary(after))) {
    return `Binary files ${oldName} and ${newName} differ\n`;
  }
  const patch = createTwoFilesPatch(oldName, newName, before?.toString('utf8') ?? '', after?.toString('utf8') ?? '', undefined, undefined, {
    context: 3,
  });
  // jsdiff starts with an "Index:" line and a rule of "=" signs; git's form starts at "---".
  const body = patch.slice(patch.indexOf('--- '));
  return `diff --git a/${decision.path} b/${decision.path}\n${body}`;
}
