import type { Catalog } from '../../catalog/catalog.ts';
import { usageError } from '../../errors.ts';
import type { Command } from '../../options.ts';
import { PACKAGE_NAME } from '../../paths.ts';
import { COMMON_FLAGS, catalogFlags, helpOrVersion, optionValueHint, parseOrExplain, projectDir, type CommandDefinition, type FlagSpec, type ParseContext } from '../command.ts';
import { MERGE_RULES, UPDATE_FLAGS } from '../update/command.ts';

export const ADD_FLAGS: FlagSpec = {
  ...UPDATE_FLAGS,
  yes: { type: 'boolean', short: 'y' },
};

/** `add <milestone|feature>... [options]`. */
function parseAdd(args: string[], ctx: ParseContext): Command {
  const { catalog } = ctx;
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...ADD_FLAGS, ...catalogFlags(catalog) }, 'add', ctx);
  const early = helpOrVersion(values, 'add');
  if (early) return early;
  const dir = projectDir(values);
  const options: Record<string, string> = {};
  for (const option of catalog.options) {
    const value = values[option.id];
    if (typeof value !== 'string') continue;
    if (value.trim() === '') throw usageError(`--${option.id} needs a value.`);
    options[option.id] = value;
  }
  const targets = positionals.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  return {
    kind: 'add',
    flags: {
      ...dir,
      json: values['json'] === true,
      dryRun: values['dry-run'] === true,
      allowDirty: values['allow-dirty'] === true,
      targets,
      options,
      yes: values['yes'] === true,
    },
  };
}

function addHelp(catalog: Catalog): string {
  const available = catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id);
  const options = catalog.options.map((option) => `  --${option.id} ${optionValueHint(option)}`);
  return `Usage: ${PACKAGE_NAME} add <milestone|feature>... [--dir DIR] [options]

Adds milestones or features (and the features they require) to a generated
project: records them in .roadmap-project.json, renders the project again and
merges the result into your files three ways, keeping your edits.

  <milestone|feature>  what to add: ${available.join(', ')}, or a feature id
${options.join('\n')}
                       options the new milestones bring; an answer the project
                       already recorded cannot change
  --dir DIR            the project (default: the current directory, or the nearest one above)
  --dry-run            print the unified diff of every change; write nothing
  --allow-dirty        run even if the git working tree has uncommitted changes
  -y, --yes            accept defaults for options not given; never ask
  --json               print one JSON report on stdout

${MERGE_RULES}`;
}

export const addCommand: CommandDefinition<'add'> = {
  name: 'add',
  flags: (catalog) => [['add', { ...ADD_FLAGS, ...catalogFlags(catalog) }]],
  help: addHelp,
  parse: parseAdd,
  async run(io, flags, catalog) {
    const [{ runAdd }, { updateExitCode }] = await Promise.all([import('./run.ts'), import('../update/report.ts')]);
    const report = await runAdd(io, flags, catalog);
    return { report, exitCode: updateExitCode(report) };
  },
};
