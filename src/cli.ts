import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Catalog } from './catalog/catalog.ts';
import { loadRoadmap } from './catalog/roadmap.ts';
import { CancelledError, ExitCode, UserError, isCancelled, usageError } from './errors.ts';
import { terminalPrompter, type CliIO, type Prompter } from './io.ts';
import type { Command, CommandName, CreateFlags } from './options.ts';
import { PACKAGE_NAME, generatorVersion } from './paths.ts';
import { closestMatch, didYouMean } from './suggest.ts';
import { flagsLostToNpm } from './npm-arguments.ts';
import { fsErrorToUserError, isFsError } from './project/fs-errors.ts';

const COMMANDS = ['create', 'list', 'add', 'update', 'check', 'own', 'generate'] as const;
/** Commands of the contract that later releases add; reserved so they never become directory names by accident. */
const RESERVED_COMMANDS: readonly string[] = [];
const GENERATORS = ['resource', 'task'] as const;

type FlagSpec = NonNullable<ParseArgsConfig['options']>;

const COMMON_FLAGS: FlagSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const CREATE_FLAGS: FlagSpec = {
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

const LIST_FLAGS: FlagSpec = {
  dir: { type: 'string' },
};

const UPDATE_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'allow-dirty': { type: 'boolean' },
};

const ADD_FLAGS: FlagSpec = {
  ...UPDATE_FLAGS,
  yes: { type: 'boolean', short: 'y' },
};

const CHECK_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  strict: { type: 'boolean' },
};

const OWN_FLAGS: FlagSpec = {
  dir: { type: 'string' },
  file: { type: 'boolean' },
  release: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
};

const GENERATE_FLAGS: Readonly<Record<(typeof GENERATORS)[number], FlagSpec>> = {
  resource: {
    dir: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    fields: { type: 'string', multiple: true },
    plural: { type: 'string' },
  },
  task: {
    dir: { type: 'string' },
    'dry-run': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    trigger: { type: 'boolean' },
    'no-trigger': { type: 'boolean' },
  },
};

function catalogFlags(catalog: Catalog): FlagSpec {
  return Object.fromEntries(catalog.options.map((option) => [option.id, { type: 'string' as const }]));
}

function flagList(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, flag]) => (flag.short ? `-${flag.short}/--${name}` : `--${name}`))
    .join(', ');
}

/** Every command's flags, to tell a user that the flag they typed belongs to another command. */
function flagOwners(catalog: Catalog | undefined): [string, FlagSpec][] {
  return [
    ['create', { ...CREATE_FLAGS, ...(catalog ? catalogFlags(catalog) : {}) }],
    ['list', LIST_FLAGS],
    ['add', ADD_FLAGS],
    ['update', UPDATE_FLAGS],
    ['check', CHECK_FLAGS],
    ['own', OWN_FLAGS],
    ['generate resource', GENERATE_FLAGS.resource],
    ['generate task', GENERATE_FLAGS.task],
  ];
}

/** Turns node's parseArgs errors into the contract's "exit 2 with the valid choices". */
function parseOrExplain(args: string[], options: FlagSpec, command = 'create', catalog?: Catalog): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = /'(-{1,2}[^'=]+)/.exec(message)?.[1] ?? '';
      const name = typed.replace(/^-+/, '');
      const owners = flagOwners(catalog)
        .filter(([owner, spec]) => owner !== command && Object.hasOwn(spec, name))
        .map(([owner]) => owner);
      const hints = typed.startsWith('--')
        ? owners.length > 0
          ? [`--${name} is a flag of ${owners.join(', ')}, not of ${command}.`]
          : didYouMean(name, Object.keys(options), (flag) => `--${flag}`)
        : [];
      throw usageError(message.replace(/^Unknown option/, 'Unknown flag'), [...hints, `Valid flags: ${flagList(options)}`]);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw usageError(message);
    throw usageError(message);
  }
}

/** Flags that say "create" for certain: with one of them, a bare word is a directory, whatever it looks like. */
const CREATE_ONLY = ['milestone', 'name', 'phase', 'answers', 'yes', 'force', 'git', 'no-git', 'install', 'no-install'] as const;

/**
 * A first word one typo away from a command (`chek`, `udpate`) would otherwise
 * create a project folder of that name: refused, with the command it resembles,
 * unless a create flag shows that a folder is what was meant (`./chek` always is).
 */
function assertNotAMisspeltCommand(word: string, args: readonly string[], spec: FlagSpec): void {
  if (word.includes('/') || word.includes('\\') || word.startsWith('.')) return;
  const match = closestMatch(word, COMMANDS);
  if (match === undefined || match === word) return;
  const createFlags = [...CREATE_ONLY, ...Object.keys(spec).filter((flag) => !(flag in COMMON_FLAGS) && !(flag in CREATE_FLAGS))];
  const saysCreate = args.some((arg) => {
    const flag = arg.replace(/^-+/, '').split('=')[0] ?? '';
    return (arg.startsWith('--') && createFlags.includes(flag)) || arg === '-y';
  });
  if (saysCreate) return;
  throw usageError(`Unknown command "${word}". Did you mean "${match}"?`, [
    `Commands: ${COMMANDS.join(', ')}. To create a project in a folder named "${word}", pass ./${word}.`,
  ]);
}

/** argv → a typed Command. Pure apart from reading the catalog it is given. */
export function parseCommand(argv: readonly string[], catalog: Catalog): Command {
  const args = [...argv];
  const first = args.find((arg) => !arg.startsWith('-'));
  const command =
    first !== undefined && (COMMANDS as readonly string[]).includes(first)
      ? (first as (typeof COMMANDS)[number])
      : 'create';
  if (first !== undefined && (RESERVED_COMMANDS as readonly string[]).includes(first)) {
    throw usageError(`The "${first}" command is not available in this version yet.`, [
      `Available commands: ${COMMANDS.join(', ')}. To create a project in a directory named "${first}", pass ./${first}.`,
    ]);
  }
  if (first === command) args.splice(args.indexOf(first), 1);

  if (command === 'list') {
    const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...LIST_FLAGS }, 'list', catalog);
    if (values['version']) return { kind: 'version' };
    if (values['help']) return { kind: 'help', command: 'list' };
    if (positionals.length > 0) throw usageError(`list takes no arguments; got: ${positionals.join(' ')}`);
    const dir = values['dir'];
    return { kind: 'list', flags: { json: values['json'] === true, ...(typeof dir === 'string' ? { dir } : {}) } };
  }
  if (command === 'add' || command === 'update' || command === 'check') return parseProjectCommand(command, args, catalog);
  if (command === 'generate') return parseGenerateCommand(args);
  if (command === 'own') return parseOwnCommand(args, catalog);

  const spec = { ...COMMON_FLAGS, ...CREATE_FLAGS, ...catalogFlags(catalog) };
  if (first !== undefined && command === 'create') assertNotAMisspeltCommand(first, args, spec);
  const { values, positionals } = parseOrExplain(args, spec, 'create', catalog);
  if (values['version']) return { kind: 'version' };
  if (values['help']) return { kind: 'help', command: 'create' };
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

/** Parses the commands that work inside a generated project. */
function parseProjectCommand(command: 'add' | 'update' | 'check', args: string[], catalog: Catalog): Command {
  const spec =
    command === 'add'
      ? { ...COMMON_FLAGS, ...ADD_FLAGS, ...catalogFlags(catalog) }
      : command === 'update'
        ? { ...COMMON_FLAGS, ...UPDATE_FLAGS }
        : { ...COMMON_FLAGS, ...CHECK_FLAGS };
  const { values, positionals } = parseOrExplain(args, spec, command, catalog);
  if (values['version']) return { kind: 'version' };
  if (values['help']) return { kind: 'help', command };
  const dirValue = values['dir'];
  if (typeof dirValue === 'string' && dirValue.trim() === '') throw usageError('--dir needs a value.');
  const dir = typeof dirValue === 'string' ? { dir: dirValue } : {};
  const json = values['json'] === true;
  if (command !== 'add' && positionals.length > 0) {
    throw usageError(`${command} takes no arguments; got: ${positionals.join(' ')}`, ['Pass the project with --dir DIR.']);
  }
  if (command === 'check') return { kind: 'check', flags: { ...dir, json, strict: values['strict'] === true } };
  const update = { ...dir, json, dryRun: values['dry-run'] === true, allowDirty: values['allow-dirty'] === true };
  if (command === 'update') return { kind: 'update', flags: update };
  const options: Record<string, string> = {};
  for (const option of catalog.options) {
    const value = values[option.id];
    if (typeof value !== 'string') continue;
    if (value.trim() === '') throw usageError(`--${option.id} needs a value.`);
    options[option.id] = value;
  }
  const targets = positionals.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  return { kind: 'add', flags: { ...update, targets, options, yes: values['yes'] === true } };
}

/** `own <PATH[:LINE]>... [--file] [--release]`. */
function parseOwnCommand(args: string[], catalog: Catalog): Command {
  const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...OWN_FLAGS }, 'own', catalog);
  if (values['version']) return { kind: 'version' };
  if (values['help']) return { kind: 'help', command: 'own' };
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

/** `generate <resource|task> [name] [flags]`. */
function parseGenerateCommand(args: string[]): Command {
  const kindIndex = args.findIndex((arg) => !arg.startsWith('-'));
  const kind = kindIndex < 0 ? undefined : args[kindIndex];
  if (kind === undefined) {
    const { values } = parseOrExplain(args, { ...COMMON_FLAGS });
    if (values['version']) return { kind: 'version' };
    if (values['help']) return { kind: 'help', command: 'generate' };
    throw usageError('generate needs what to generate: resource or task.', [
      `Usage: ${PACKAGE_NAME} generate resource <Name> --fields name:type,...`,
      `       ${PACKAGE_NAME} generate task <name> [--trigger]`,
    ]);
  }
  if (!(GENERATORS as readonly string[]).includes(kind)) {
    throw usageError(`Unknown generator "${kind}".`, [...didYouMean(kind, GENERATORS), `Valid generators: ${GENERATORS.join(', ')}`]);
  }
  const generator = kind as (typeof GENERATORS)[number];
  const rest = [...args.slice(0, kindIndex), ...args.slice(kindIndex + 1)];
  const { values, positionals } = parseOrExplain(rest, { ...COMMON_FLAGS, ...GENERATE_FLAGS[generator] }, `generate ${generator}`);
  if (values['version']) return { kind: 'version' };
  if (values['help']) return { kind: 'help', command: 'generate' };
  if (positionals.length > 1) {
    throw usageError(`generate ${generator} takes one name; got: ${positionals.join(' ')}`, ['Quote the --fields value if it contains spaces.']);
  }
  const text = (key: string): string | undefined => {
    const value = values[key];
    const joined = Array.isArray(value) ? value.join(',') : value;
    if (typeof joined !== 'string') return undefined;
    if (joined.trim() === '') throw usageError(`--${key} needs a value.`);
    return joined.trim();
  };
  const dir = text('dir');
  const fields = text('fields');
  const plural = text('plural');
  const name = positionals[0]?.trim();
  if (name === '') throw usageError(`The ${generator} name is empty.`);
  if (values['trigger'] && values['no-trigger']) throw usageError('--trigger and --no-trigger contradict each other.');
  const trigger = values['trigger'] ? true : values['no-trigger'] ? false : undefined;
  return {
    kind: 'generate',
    flags: {
      kind: generator,
      dryRun: values['dry-run'] === true,
      yes: values['yes'] === true,
      json: values['json'] === true,
      ...(dir !== undefined ? { dir } : {}),
      ...(name !== undefined ? { name } : {}),
      ...(fields !== undefined ? { fields } : {}),
      ...(plural !== undefined ? { plural } : {}),
      ...(trigger !== undefined ? { trigger } : {}),
    },
  };
}

const GENERATE_HELP = `Usage: ${PACKAGE_NAME} generate resource <Name> --fields name:type,... [options]
       ${PACKAGE_NAME} generate task <name> [--trigger] [options]

Inside a generated project, adds code that follows the project's own style and
passes its gates: the new files, the lines that register them (at the marker
comments of routes.py and db/models.py), and a record in .roadmap-project.json,
so \`update\` keeps them and \`check\` does not call them drift.

generate resource <Name>   (needs the db feature, e.g. the crud-db milestone)
  A model, create/update/read schemas, a repository, a service, a router under
  /api/v1/<names>, an Alembic migration, and tests. Name is a PascalCase class
  name (Invoice, InvoiceLine); the table, module and URL use its plural.
  --fields SPEC      name:type pairs, comma-separated, e.g.
                       number:str:unique,total:decimal(10,2),paid:bool,
                       status:enum(draft|sent|paid),customer:ref(Customer):optional
                     types: str, str(N), text, int, float, decimal, decimal(P,S),
                       bool, date, datetime, enum(a|b|c), ref(Model)
                     modifiers: :optional (nullable, may be left out), :unique
                     ref(Model) points at Project, Task or a generated resource;
                       the column is <name>_id, ON DELETE CASCADE (SET NULL
                       when optional)
  --plural NAME      the plural when the English rules get it wrong (people)

generate task <name>       (needs the jobs feature, e.g. background-jobs)
  src/<pkg>/<name>/: the job's parameters, its work run through the job ledger
  (retries, idempotency), a Celery task named <name>.run listed in TASK_MODULES,
  a service that queues it, and tests that run it on a real worker. name is
  snake_case, e.g. send_reminders.
  --trigger          also POST /api/v1/<name>: queues a job, answers 202
  --no-trigger       no endpoint (a terminal asks when neither is given)

Common options
  --dir DIR          the project (default: the current directory, or the nearest one above)
  --dry-run          print what would be added and changed; write nothing
  -y, --yes          never ask; a missing answer is exit 2
  --json             print one JSON report on stdout (never asks)

Without a terminal nothing is asked: pass the name (and --fields for a
resource; a task gets no endpoint without --trigger). A name that
exists (model, table, route, module) or is invalid is refused (exit 2), and
nothing is written. Writes are atomic: an error or Ctrl-C leaves the project
as it was.

Exit codes
  0    done
  1    failed; the project is exactly as it was
  2    bad usage or bad input (invalid or taken name, unknown field type,
       ref to a missing model, not inside a project, missing feature)
  130  interrupted; the project is exactly as it was
`;

const PROJECT_HELP: Readonly<Record<'add' | 'update' | 'check' | 'own', (catalog: Catalog) => string>> = {
  add: (catalog) => {
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
  },
  update: () => `Usage: ${PACKAGE_NAME} update [--dir DIR] [--dry-run] [--allow-dirty]

Renders the project's recorded answers with this version of the generator and
merges the result into your files three ways, keeping your edits.

  --dir DIR       the project (default: the current directory, or the nearest one above)
  --dry-run       print the unified diff of every change; write nothing
  --allow-dirty   run even if the git working tree has uncommitted changes
  --json          print one JSON report on stdout

${MERGE_RULES}`,
  check: () => `Usage: ${PACKAGE_NAME} check [--dir DIR] [--strict]

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
  own: () => `Usage: ${PACKAGE_NAME} own <file>[:<line>]... [--file] [--release] [--dir DIR]

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
};

const MERGE_RULES = `How each file is merged (base = what was generated last time, from the manifest)
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

/** What an option's flag takes: its choices, or a text option's example. */
function optionValueHint(option: Catalog['options'][number]): string {
  return option.text ? option.text.placeholder : option.choices.map((choice) => choice.value).join('|');
}

export function helpText(command: CommandName, catalog: Catalog): string {
  const milestones = catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id);
  if (command === 'add' || command === 'update' || command === 'check' || command === 'own') return PROJECT_HELP[command](catalog);
  if (command === 'generate') return GENERATE_HELP;
  if (command === 'list') {
    return `Usage: ${PACKAGE_NAME} list [--json] [--dir DIR]

Shows the roadmap's phases and topics and the milestones you can generate.
Inside a generated project (or with --dir), marks the milestones it already covers.

  --json       one JSON document on stdout
  --dir DIR    the project to inspect (default: the current directory)
`;
  }
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
  ${PACKAGE_NAME} <command> --help          the flags of add, update, check, own, generate and list

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

/**
 * `npm run create ../x --yes` runs us without `--yes`: npm keeps flags typed
 * before `--` (src/npm-arguments.ts). Going on would do something the user did
 * not ask for (write files despite `--dry-run`, ask questions despite `--yes`),
 * so it is exit 2 with the command that passes them on.
 */
function assertNpmKeptNoFlags(argv: readonly string[], env: NodeJS.ProcessEnv, catalog: Catalog): void {
  if (!env['npm_lifecycle_event']) return;
  const specs = [COMMON_FLAGS, ...flagOwners(catalog).map(([, spec]) => spec)];
  const names = (type: 'boolean' | 'string'): string[] => [
    ...new Set(specs.flatMap((spec) => Object.entries(spec).filter(([name, flag]) => flag.type === type && name !== 'help' && name !== 'version').map(([name]) => name))),
  ];
  const lost = flagsLostToNpm(argv, env, names('boolean'), names('string'));
  if (!lost) return;
  throw usageError(`npm kept ${lost.flags.join(', ')} for itself: \`npm run ${lost.script}\` passes flags on to the script only after \`--\`.`, [
    lost.corrected
      ? `Run: npm run ${lost.script} -- ${lost.corrected.join(' ')}`
      : `Put \`--\` before the arguments: npm run ${lost.script} -- <the same arguments>`,
  ]);
}

export interface RunResult {
  readonly exitCode: number;
}

function writeError(io: CliIO, json: boolean, raw: unknown): number {
  // The disk saying no (read-only, full, permission denied) is not a bug: a clear message, exit 1.
  const error = isFsError(raw) ? fsErrorToUserError(raw, io.cwd) : raw;
  if (isCancelled(error)) {
    const message = error.outcome?.summary ?? 'Interrupted; nothing was written.';
    const details = error.outcome?.details ?? [];
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { message, details }, exitCode: ExitCode.interrupted })}\n`);
    io.stderr.write(`\n${message}\n${details.map((line) => `  ${line}\n`).join('')}`);
    return ExitCode.interrupted;
  }
  if (error instanceof UserError) {
    if (json) {
      io.stdout.write(`${JSON.stringify({ ok: false, error: { message: error.message, details: error.details }, exitCode: error.exitCode }, null, 2)}\n`);
    }
    io.stderr.write(`error: ${error.message}\n${error.details.map((line) => `  ${line}\n`).join('')}`);
    return error.exitCode;
  }
  io.stderr.write(`${PACKAGE_NAME} crashed; this is a bug. Please report it with the output below.\n`);
  io.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.failed;
}

/** Runs one invocation with injected I/O and returns the exit code; never exits itself. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  try {
    const catalog = new Catalog(loadRoadmap());
    assertNpmKeptNoFlags(argv, io.env, catalog);
    const command = parseCommand(argv, catalog);
    // Each command's code is imported when it runs (the bundle splits it into its own
    // chunks): --version, --help and a usage error parse none of it.
    switch (command.kind) {
      case 'version':
        io.stdout.write(`${generatorVersion()}\n`);
        return ExitCode.ok;
      case 'help':
        io.stdout.write(helpText(command.command, catalog));
        return ExitCode.ok;
      case 'list': {
        const { runList } = await import('./commands/list/run.ts');
        const report = runList(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return ExitCode.ok;
      }
      case 'create': {
        const { runCreate } = await import('./commands/create/run.ts');
        const report = await runCreate(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.ok ? ExitCode.ok : ExitCode.failed;
      }
      case 'add':
      case 'update': {
        const [{ runAdd }, { runUpdate }, { updateExitCode }] = await Promise.all([import('./commands/add/run.ts'), import('./commands/update/run.ts'), import('./commands/update/report.ts')]);
        const report = command.kind === 'add' ? await runAdd(io, command.flags, catalog) : await runUpdate(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return updateExitCode(report);
      }
      case 'generate': {
        const { runGenerate } = await import('./commands/generate/run.ts');
        const report = await runGenerate(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return ExitCode.ok;
      }
      case 'own': {
        const { runOwn } = await import('./commands/own/run.ts');
        const report = await runOwn(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return ExitCode.ok;
      }
      case 'check': {
        const { runCheck } = await import('./commands/check/run.ts');
        const report = await runCheck(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.ok ? ExitCode.ok : ExitCode.failed;
      }
    }
  } catch (error) {
    return writeError(io, json, error);
  }
}

/** Rejects the pending question when the process is told to stop, so nothing waits forever. */
function abortablePrompter(prompter: Prompter, signal: AbortSignal): Prompter {
  return (question) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new CancelledError());
      const onAbort = (): void => reject(new CancelledError());
      signal.addEventListener('abort', onAbort, { once: true });
      prompter(question).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
}

/** The process entry point: the only place that touches process.exit and signals. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onSignal = (): void => {
    // A second Ctrl-C while cleaning up means "stop now".
    if (controller.signal.aborted) process.exit(ExitCode.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const io: CliIO = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    prompt: abortablePrompter(terminalPrompter, controller.signal),
    signal: controller.signal,
  };
  const code = await run(process.argv.slice(2), io);
  process.exit(code);
}

