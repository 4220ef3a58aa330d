import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';

export const OWN_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  file: { type: 'boolean' },
  release: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
};

/** `own <PATH[:LINE]>... [--file] [--release]`. */
function parseOwn(args: string[], ctx: ParseContext): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...OWN_FLAGS }, 'own', ctx);
  const early = helpOrVersion(values, 'own');
  if (early) return early;
  const dir = values['dir'];
  if (typeof dir === 'string' && dir.trim() === '') throw usageError('--dir needs a value.');
  if (values['file'] && values['release']) throw usageError('--file and --release contradict each other.');
  const targets = positionals.map((value) => value.trim()).filter((value) => value !== '');
  if (values['file'] && targets.some((target) => /:\d+$/.test(target))) {
    throw usageError('--file takes whole files; PATH:LINE takes one change. Use one or the other.');
  }
  return {
    kind: 'own',
    flags: {
      ...(typeof dir === 'string' ? { dir } : {}),
      targets,
      file: values['file'] === true,
      release: values['release'] === true,
      dryRun: values['dry-run'] === true,
      json: values['json'] === true,
    },
  };
}


export const ownCommand: CommandDefinition<'own'> = {
  name: 'own',
  flags: () => [['own', OWN_FLAGS]],
  help: (_catalog: Catalog) => `Usage: ${PACKAGE_NAME} own <file>[:<line>]... [--file] [--release] [--dir DIR]

Makes a deliberate change to a generated file yours. \`check\` reports every
edit to a generated line as drift; after \`own\`, the changes you took are not
drift, while \`update\` keeps merging the file three ways, so template changes
still arrive around them. The record goes into .roadmap-project.json (owned):
commit it with your change.

  <file>         every change in the file, as it is now (check shows them)
  <file>:<line>  only the change at that line of the file
  --file         the whole file, whatever you change in it later (check then
                 looks at it only for conflict markers)
  --release      give the file (or the change at <line>) back to the template
  --dir DIR      the project (default: the current directory, or the nearest one above)
  --dry-run      say what would be recorded; write nothing
  --json         print one JSON report on stdout

A change is recognised by its lines (the generated ones it replaces, yours, and
the generated line before it), not by its line number: it stays yours when
lines move. If a later template changes those generated lines, check reports
the file again, which is what you want to know.

Exit codes
  0    recorded
  2    bad usage, a file that is not template-owned, or no change at that line
`,
  parse: parseOwn,
  async run(io, flags, catalog) {
    const { runOwn } = await import('./run.ts');
    return { report: await runOwn(io, flags, catalog), exitCode: ExitCode.ok };
  },
};
