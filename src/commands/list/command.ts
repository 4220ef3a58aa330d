import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, helpOrVersion, parseOrExplain, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';

export const LIST_FLAGS: FlagSpec = {
  dir: { type: 'string' },
};

function parseList(args: string[], ctx: ParseContext): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...LIST_FLAGS }, 'list', ctx);
  const early = helpOrVersion(values, 'list');
  if (early) return early;
  if (positionals.length > 0) throw usageError(`list takes no arguments; got: ${positionals.join(' ')}`);
  const dir = values['dir'];
  return { kind: 'list', flags: { json: values['json'] === true, ...(typeof dir === 'string' ? { dir } : {}) } };
}

export const listCommand: CommandDefinition<'list'> = {
  name: 'list',
  flags: () => [['list', LIST_FLAGS]],
  help: (_catalog: Catalog) => `Usage: ${PACKAGE_NAME} list [--json] [--dir DIR]

Shows the roadmap's phases and topics and the milestones you can generate.
Inside a generated project (or with --dir), marks the milestones it already covers.

  --json       one JSON document on stdout
  --dir DIR    the project to inspect (default: the current directory)
`,
  parse: parseList,
  async run(io, flags, catalog) {
    const { runList } = await import('./run.ts');
    return { report: runList(io, flags, catalog), exitCode: ExitCode.ok };
  },
};
