import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, projectDir, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';

export const UPDATE_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-dirty': { type: 'boolean' },
};

/** How add and update merge, and their exit codes: the end of both helps. */
export const MERGE_RULES = `How each file is merged (base = what was generated last time, from the manifest)
  - a file you never changed is replaced; one you changed is merged line by line
  - changes to different lines are both kept; the same change on both sides counts once
  - two different changes to the same lines get conflict markers, and are listed
  - a file you deleted stays deleted; a file no longer generated is removed only
    if you never changed it; binary files are never merged (yours is kept)
  - the manifest is written last; Ctrl-C or an error puts every file back

Exit codes
  0    done
  1    failed; the project is exactly as it was
  2    bad usage or bad input (a damaged manifest, a path leading out of the
       project, another command holding the project); a dirty git tree
       without --allow-dirty
  3    finished (or, with --dry-run, would finish) with conflicts to resolve
  130  interrupted; the project is exactly as it was
`;

function parseUpdate(args: string[], ctx: ParseContext): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...UPDATE_FLAGS }, 'update', ctx);
  const early = helpOrVersion(values, 'update');
  if (early) return early;
  const dir = projectDir(values);
  if (positionals.length > 0) {
    throw usageError(`update takes no arguments; got: ${positionals.join(' ')}`, ['Pass the project with --dir DIR.']);
  }
  return {
    kind: 'update',
    flags: { ...dir, json: values['json'] === true, dryRun: values['dry-run'] === true, allowDirty: values['allow-dirty'] === true },
  };
}

export const updateCommand: CommandDefinition<'update'> = {
  name: 'update',
  flags: () => [['update', UPDATE_FLAGS]],
  help: (_catalog: Catalog) => `Usage: ${PACKAGE_NAME} update [--dir DIR] [--dry-run] [--allow-dirty]

Renders the project's recorded answers with this version of the generator and
merges the result into your files three ways, keeping your edits.

  --dir DIR       the project (default: the current directory, or the nearest one above)
  --dry-run       print the unified diff of every change; write nothing
  --allow-dirty   run even if the git working tree has uncommitted changes
  --json          print one JSON report on stdout

${MERGE_RULES}`,
  parse: parseUpdate,
  async run(io, flags, catalog) {
    const [{ runUpdate }, { updateExitCode }] = await Promise.all([import('./run.ts'), import('./report.ts')]);
    const report = await runUpdate(io, flags, catalog);
    return { report, exitCode: updateExitCode(report) };
  },
};
