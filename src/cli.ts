import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Catalog } from './catalog/catalog.ts';
import { CancelledError, ExitCode, UserError, isCancelled, usageError } from './errors.ts';
import { terminalPrompter, type CliIO, type Prompter } from './io.ts';
import { runCheck } from './check-project.ts';
import { loadCatalog, runCreate, runList } from './main.ts';
import type { Command, CommandName, CreateFlags } from './options.ts';
import { PACKAGE_NAME, generatorVersion } from './paths.ts';
import { runAdd, runUpdate, updateExitCode } from './update-project.ts';

const COMMANDS = ['create', 'list', 'add', 'update', 'check'] as const;
/** Commands of the contract that later releases add; reserved so they never become directory names by accident. */
const RESERVED_COMMANDS = ['generate'] as const;

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

function catalogFlags(catalog: Catalog): FlagSpec {
  return Object.fromEntries(catalog.options.map((option) => [option.id, { type: 'string' as const }]));
}

function flagList(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, flag]) => (flag.short ? `-${flag.short}/--${name}` : `--${name}`))
    .join(', ');
}

/** Turns node's parseArgs errors into the contract's "exit 2 with the valid choices". */
function parseOrExplain(args: string[], options: FlagSpec): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw usageError(message.replace(/^Unknown option/, 'Unknown flag'), [`Valid flags: ${flagList(options)}`]);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw usageError(message);
    throw usageError(message);
  }
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
    const { values, positionals } = parseOrExplain(args, { ...COMMON_FLAGS, ...LIST_FLAGS });
    if (values['version']) return { kind: 'version' };
    if (values['help']) return { kind: 'help', command: 'list' };
    if (positionals.length > 0) throw usageError(`list takes no arguments; got: ${positionals.join(' ')}`);
    const dir = values['dir'];
    return { kind: 'list', flags: { json: values['json'] === true, ...(typeof dir === 'string' ? { dir } : {}) } };
  }
  if (command === 'add' || command === 'update' || command === 'check') return parseProjectCommand(command, args, catalog);

  const spec = { ...COMMON_FLAGS, ...CREATE_FLAGS, ...catalogFlags(catalog) };
  const { values, positionals } = parseOrExplain(args, spec);
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
  const { values, positionals } = parseOrExplain(args, spec);
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

const PROJECT_HELP: Readonly<Record<'add' | 'update' | 'check', (catalog: Catalog) => string>> = {
  add: (catalog) => {
    const available = catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id);
    const options = catalog.options.map((option) => `  --${option.id} ${option.choices.map((choice) => choice.value).join('|')}`);
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
would change, and unresolved conflict markers are drift. Writes nothing.

  --dir DIR   the project (default: the current directory, or the nearest one above)
  --strict    count lines you added to template-owned files as drift too
  --json      print one JSON report on stdout

Exit codes
  0    every template-owned file matches
  1    some files drifted (they are listed)
  2    bad usage, or not a generated project
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
  2    bad usage or bad input; a dirty git tree without --allow-dirty
  3    finished (or, with --dry-run, would finish) with conflicts to resolve
  130  interrupted; the project is exactly as it was
`;

export function helpText(command: CommandName, catalog: Catalog): string {
  const milestones = catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id);
  if (command === 'add' || command === 'update' || command === 'check') return PROJECT_HELP[command](catalog);
  if (command === 'list') {
    return `Usage: ${PACKAGE_NAME} list [--json] [--dir DIR]

Shows the roadmap's phases and topics and the milestones you can generate.
Inside a generated project (or with --dir), marks the milestones it already covers.

  --json       one JSON document on stdout
  --dir DIR    the project to inspect (default: the current directory)
`;
  }
  const optionLines = catalog.options.map((option) => {
    const values = option.choices.map((choice) => choice.value).join('|');
    const users = catalog.milestones.filter((m) => m.options.includes(option.id)).map((m) => m.id);
    return `  --${option.id} ${values}\n      ${option.prompt} (default ${option.default}; for ${users.join(', ')})`;
  });
  return `${PACKAGE_NAME} ${generatorVersion()}
Generate a Python project for a milestone of the Python developer roadmap.

Usage
  ${PACKAGE_NAME} [directory] [options]     create a project (the default command)
  ${PACKAGE_NAME} list [--json]             show the roadmap, its topics and milestones
  ${PACKAGE_NAME} add <milestone>...        inside a project: add milestones, keep your edits
  ${PACKAGE_NAME} update [--dry-run]        inside a project: move to this version by 3-way merge
  ${PACKAGE_NAME} check                     inside a project: fail when generated files drifted
  ${PACKAGE_NAME} <command> --help          the flags of add, update, check and list

Create options
  --milestone ID      what to build (repeatable, or comma-separated):
                      ${milestones.join(', ')}
  --phase N|ID        roadmap phase (1-${catalog.phases.length}); narrows the milestone question
  --name NAME         project name (default: the directory's last segment)
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
and --milestone, or --yes.

Exit codes
  0    done
  1    failed; nothing half-written is left behind
  2    bad usage or bad input (unknown milestone, option value or flag)
  3    finished, with merge conflicts left to resolve
  130  interrupted (Ctrl-C); nothing is left behind
`;
}

export interface RunResult {
  readonly exitCode: number;
}

function writeError(io: CliIO, json: boolean, error: unknown): number {
  if (isCancelled(error)) {
    if (json) io.stdout.write(`${JSON.stringify({ ok: false, error: { message: 'Interrupted; nothing was written.' }, exitCode: ExitCode.interrupted })}\n`);
    io.stderr.write('\nInterrupted; nothing was written.\n');
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
    const catalog = loadCatalog();
    const command = parseCommand(argv, catalog);
    switch (command.kind) {
      case 'version':
        io.stdout.write(`${generatorVersion()}\n`);
        return ExitCode.ok;
      case 'help':
        io.stdout.write(helpText(command.command, catalog));
        return ExitCode.ok;
      case 'list': {
        const report = runList(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return ExitCode.ok;
      }
      case 'create': {
        const report = await runCreate(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return report.ok ? ExitCode.ok : ExitCode.failed;
      }
      case 'add':
      case 'update': {
        const report = command.kind === 'add' ? await runAdd(io, command.flags, catalog) : await runUpdate(io, command.flags, catalog);
        if (command.flags.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return updateExitCode(report);
      }
      case 'check': {
        const report = runCheck(io, command.flags, catalog);
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

