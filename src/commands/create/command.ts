import type { Catalog } from '../../catalog/catalog.ts';
import { ExitCode, usageError } from '../../errors.ts';
import type { Command, CreateFlags } from '../../options.ts';
import { PACKAGE_NAME, generatorVersion } from '../../paths.ts';
import { closestMatch } from '../../suggest.ts';
import {
  COMMON_FLAGS,
  catalogFlags,
  helpOrVersion,
  optionValueHint,
  parseOrExplain,
  type CommandDefinition,
  type FlagSpec,
  type ParseContext,
} from '../command.ts';

export const CREATE_FLAGS: FlagSpec = {
  milestone: { type: 'string', multiple: true },
  name: { type: 'string' },
  phase: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  git: { type: 'boolean' },
  'no-git': { type: 'boolean' },
  install: { type: 'boolean' },
  'no-install': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  answers: { type: 'string' },
};

/** Flags that say "create" for certain: with one of them, a bare word is a directory, whatever it looks like. */
const CREATE_ONLY = ['milestone', 'name', 'phase', 'answers', 'yes', 'force', 'git', 'no-git', 'install', 'no-install'] as const;

/**
 * A first word one typo away from a command (`chek`, `udpate`) would otherwise
 * create a project folder of that name: refused, with the command it resembles,
 * unless a create flag shows that a folder is what was meant (`./chek` always is).
 */
function assertNotAMisspeltCommand(word: string, args: readonly string[], spec: FlagSpec, commands: readonly string[]): void {
  if (word.includes('/') || word.includes('\\') || word.startsWith('.')) return;
  const match = closestMatch(word, commands);
  if (match === undefined || match === word) return;
  const createFlags = [...CREATE_ONLY, ...Object.keys(spec).filter((flag) => !(flag in COMMON_FLAGS) && !(flag in CREATE_FLAGS))];
  const saysCreate = args.some((arg) => {
    const flag = arg.replace(/^-+/, '').split('=')[0] ?? '';
    return (arg.startsWith('--') && createFlags.includes(flag)) || arg === '-y';
  });
  if (saysCreate) return;
  throw usageError(`Unknown command "${word}". Did you mean "${match}"?`, [
    `Commands: ${commands.join(', ')}. To create a project in a folder named "${word}", pass ./${word}.`,
  ]);
}

/** `[directory] [options]`: the default command. A first word that is no command is the directory. */
function parseCreate(args: string[], ctx: ParseContext): Command {
  const { catalog, firstWord } = ctx;
  const spec = { ...COMMON_FLAGS, ...CREATE_FLAGS, ...catalogFlags(catalog) };
  if (firstWord !== undefined) assertNotAMisspeltCommand(firstWord, args, spec, ctx.commandNames);
  const { values, positionals } = parseOrExplain(args, spec, 'create', ctx);
  const early = helpOrVersion(values, 'create');
  if (early) return early;
  if (positionals.length > 1) {
    throw usageError(`Expected at most one directory; got ${positionals.length}: ${positionals.join(' ')}`, [
      'Quote a path that contains spaces.',
    ]);
  }
  const bool = (yes: string, no: string): boolean | undefined => {
    if (values[yes] && values[no]) throw usageError(`--${yes} and --${no} contradict each other.`);
    return values[yes] ? true : values[no] ? false : undefined;
  };
  const string = (key: string): string | undefined => {
    const value = values[key];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw usageError(`--${key} needs a value.`);
    return value;
  };
  const milestones = ((values['milestone'] as string[] | undefined) ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  const options: Record<string, string> = {};
  for (const option of catalog.options) {
    const value = string(option.id);
    if (value !== undefined) options[option.id] = value;
  }
  const git = bool('git', 'no-git');
  const install = bool('install', 'no-install');
  const directory = positionals[0];
  const name = string('name');
  const phase = string('phase');
  const answersFile = string('answers');
  if (directory !== undefined && directory.trim() === '') throw usageError('The directory argument is empty.');
  const flags: CreateFlags = {
    milestones,
    options,
    yes: values['yes'] === true,
    dryRun: values['dry-run'] === true,
    force: values['force'] === true,
    json: values['json'] === true,
    ...(directory !== undefined ? { directory } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(phase !== undefined ? { phase } : {}),
    ...(answersFile !== undefined ? { answersFile } : {}),
    ...(git !== undefined ? { git } : {}),
    ...(install !== undefined ? { install } : {}),
  };
  return { kind: 'create', flags };
}

/** The general help (`--help` without a command): the commands, then create's options. */
function createHelp(catalog: Catalog): string {
  const milestones = catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id);
  const optionLines = catalog.options.map((option) => {
    const users = catalog.milestones.filter((m) => m.options.includes(option.id)).map((m) => m.id);
    const fallback = option.text
      ? option.text.default === 'git-remote'
        ? 'default: from the git remote origin, else decided later'
        : 'no default'
      : `default ${option.default}`;
    return `  --${option.id} ${optionValueHint(option)}\n      ${option.prompt} (${fallback}; for ${users.join(', ')})`;
  });
  return `${PACKAGE_NAME} ${generatorVersion()}
Generate a Python project for a milestone of the Python developer roadmap.

Usage
  ${PACKAGE_NAME} [directory] [options]     create a project (the default command)
  ${PACKAGE_NAME} list [--json]             show the roadmap, its topics and milestones
  ${PACKAGE_NAME} add <milestone>...        inside a project: add milestones, keep your edits
  ${PACKAGE_NAME} update [--dry-run]        inside a project: move to this version by 3-way merge
  ${PACKAGE_NAME} check                     inside a project: fail when generated files drifted
  ${PACKAGE_NAME} own <file>[:<line>]       inside a project: make a change to a generated file yours
  ${PACKAGE_NAME} generate resource <Name> --fields ...
                                            inside a project: a model, API, migration and tests
  ${PACKAGE_NAME} generate task <name>      inside a project: a Celery task (and --trigger endpoint)
  ${PACKAGE_NAME} progress [--dir DIR]...   your roadmap board: topics shown, challenges done, next step
  ${PACKAGE_NAME} <command> --help          the flags of add, update, check, own, generate, progress and list

Create options
  directory           the project's name and place: "My API" or apps/my-api makes
                      the folder my-api there (an existing folder is used as is)
  --milestone ID      what to build (repeatable, or comma-separated):
                      ${milestones.join(', ')}
  --phase N|ID        roadmap phase (1-${catalog.phases.length}); narrows the milestone question
  --name NAME         project name (default: the directory's last segment); with
                      --name, the directory is a plain path, used as typed
${optionLines.join('\n')}
  -y, --yes           accept defaults for everything not given (milestone: ${catalog.roadmap.defaultMilestone})
  --no-git            skip git init and the first commit
  --no-install        skip installing dependencies (uv sync)
  --dry-run           print what would be written; write nothing
  --force             generate into a non-empty directory; files there are never
                      deleted, and a replaced file is kept as <name>.orig
  --answers FILE      answers as JSON (keys: name, directory, phase, milestones,
                      options, git, install), or another project's .roadmap-project.json
  --json              print one JSON report on stdout; never asks questions
  -h, --help          this help
  -v, --version       the version

Without a terminal (CI, scripts, agents) nothing is ever asked: pass a directory
and --milestone, or --yes. On a terminal, Enter at each question builds what
--yes builds, and Escape goes back one question.

Exit codes
  0    done
  1    failed; nothing half-written is left behind
  2    bad usage or bad input (unknown milestone, option value or flag)
  3    finished, with merge conflicts left to resolve
  130  interrupted (Ctrl-C); while writing, nothing is left behind; during the
       install or the first commit, the complete project is kept (without
       .venv) and the commands to finish are printed
`;
}

export const createCommand: CommandDefinition<'create'> = {
  name: 'create',
  flags: (catalog) => [['create', { ...CREATE_FLAGS, ...catalogFlags(catalog) }]],
  help: createHelp,
  parse: parseCreate,
  async run(io, flags, catalog) {
    const { runCreate } = await import('./run.ts');
    const report = await runCreate(io, flags, catalog);
    return { report, exitCode: report.ok ? ExitCode.ok : ExitCode.failed };
  },
};
