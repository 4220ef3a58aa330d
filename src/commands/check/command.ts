import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, projectDir, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';

export const CHECK_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  strict: { type: 'boolean' },
};

function parseCheck(args: string[], ctx: ParseContext): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...CHECK_FLAGS }, 'check', ctx);
  const early = helpOrVersion(values, 'check');
  if (early) return early;
  const dir = projectDir(values);
  if (positionals.length > 0) {
    throw usageError(`check takes no arguments; got: ${positionals.join(' ')}`, ['Pass the project with --dir DIR.']);
  }
  return { kind: 'check', flags: { ...dir, json: values['json'] === true, strict: values['strict'] === true } };
}

export const checkCommand: CommandDefinition<'check'> = {
  name: 'check',
  flags: () => [['check', CHECK_FLAGS]],
  help: (_catalog: Catalog) => `Usage: ${PACKAGE_NAME} check [--dir DIR] [--strict]

For the project's own CI: renders the recorded answers and compares every
template-owned file with what is on disk. Lines you added to a generated file
are yours; changed or removed generated lines, missing files, files an update
would change, and unresolved conflict markers are drift: each is listed, with
the unified diff of the lines that drifted. Writes nothing. A deliberate change
is made yours with \`own\`, and is not drift from then on.

  --dir DIR   the project (default: the current directory, or the nearest one above)
  --strict    count lines you added to template-owned files as drift too
  --json      print one JSON report on stdout (each drifted file with its diff
              and changes)

Exit codes
  0    every template-owned file matches
  1    some files drifted (they are listed)
  2    bad usage, not a generated project, or a damaged manifest
`,
  parse: parseCheck,
  async run(io, flags, catalog) {
    const { runCheck } = await import('./run.ts');
    const report = await runCheck(io, flags, catalog);
    return { report, exitCode: report.ok ? ExitCode.ok : ExitCode.failed };
  },
};
