import { lstatSync } from 'node:fs';
import path from 'node:path';
import { inspectTarget } from '../apply/write-new-project.ts';
import { CancelledError, UserError, usageError } from '../errors.ts';
import { buildProjectNames, type ProjectNames } from '../render/project-names.ts';
import type { CreateFlags } from '../options.ts';
import type { StepContext } from './context.ts';
import { displayPath } from './next-steps.ts';

export const DEFAULT_PROJECT_NAME = 'roadmap-project';

export interface ProjectLocation {
  /** The name as typed; buildProjectNames turns it into every other name. */
  readonly name: string;
  readonly names: ProjectNames;
  /** Absolute path of the directory the project goes into. */
  readonly directory: string;
  /** Generate into a directory that is not empty: --force, or "continue" at the question. */
  readonly force: boolean;
}

function validateName(value: string): true | string {
  try {
    buildProjectNames(value);
    return true;
  } catch (error) {
    if (error instanceof UserError) return [error.message, ...error.details].join(' ');
    throw error;
  }
}

function isDirectory(target: string): boolean {
  try {
    return lstatSync(target).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Where a project named `name` goes: `parent/<distName>`, the way the name
 * question has always placed it, so `create "My Cool API"` and typing
 * `My Cool API` at the question both make `my-cool-api/`. A directory that
 * already exists is used as it is (`.`, a folder made for the project), and
 * with --name the positional argument is a plain path, used as typed.
 */
function directoryFor(ctx: StepContext<CreateFlags>, name: string, names: ProjectNames): string {
  const { flags, io } = ctx;
  if (flags.directory === undefined) return path.resolve(io.cwd, names.distName);
  const typed = path.resolve(io.cwd, flags.directory);
  if (flags.name !== undefined || isDirectory(typed) || path.basename(typed) !== name) return typed;
  return path.join(path.dirname(typed), names.distName);
}

async function askName(ctx: StepContext<CreateFlags>, initial: string): Promise<string> {
  return String(await ctx.io.prompt({ type: 'text', message: 'Project name', initial, validate: validateName })).trim();
}

/**
 * The project name and where it goes. The positional argument names the
 * project and its place (`../my-api`); the name defaults to its last segment.
 * With neither a directory nor --name, the name is asked for. A directory that
 * is not empty is refused without a terminal (exit 2, or --force); on a
 * terminal the user chooses: cancel, another name, or continue into it.
 */
export async function chooseProjectName(ctx: StepContext<CreateFlags>): Promise<ProjectLocation> {
  const { flags, io } = ctx;
  const fromDirectory = flags.directory === undefined ? undefined : path.basename(path.resolve(io.cwd, flags.directory));
  let name = flags.name ?? fromDirectory;
  if (name === undefined) {
    if (ctx.interactive) {
      name = await askName(ctx, DEFAULT_PROJECT_NAME);
    } else if (flags.yes) {
      name = DEFAULT_PROJECT_NAME;
    } else {
      throw usageError('No project name was given and there is no terminal to ask for one.', [
        'Pass a directory (create-python-roadmap-project my-api), --name NAME, or --yes for the default name.',
      ]);
    }
  }
  name = name.trim();
  let names = buildProjectNames(name);
  let directory = directoryFor(ctx, name, names);
  for (;;) {
    const state = inspectTarget(directory);
    if (state === 'not-a-directory') throw usageError(`${directory} exists and is not a directory.`);
    if (state !== 'non-empty' || flags.force || flags.dryRun) {
      // The folded title (fullwidth letters, curly quotes made plain) is what the project records.
      return { name: names.displayName, names, directory, force: flags.force };
    }
    const where = displayPath(io.cwd, directory);
    if (!ctx.interactive) {
      throw usageError(`${where} is not empty.`, [
        'Choose another directory, or pass --force to generate into it (existing files are kept; any replaced file is saved as <name>.orig).',
      ]);
    }
    const choice = String(
      await io.prompt({
        type: 'select',
        message: `${where} is not empty. What now?`,
        choices: [
          { title: 'Choose another name', value: 'rename' },
          { title: 'Cancel', value: 'cancel' },
          {
            title: 'Continue into it',
            value: 'continue',
            description: 'nothing there is deleted; a file the project replaces is kept as <name>.orig (--force)',
          },
        ],
        initial: 0,
      }),
    );
    if (choice === 'cancel') throw new CancelledError();
    if (choice === 'continue') return { name: names.displayName, names, directory, force: true };
    name = await askName(ctx, `${name}-2`);
    names = buildProjectNames(name);
    directory = path.join(path.dirname(directory), names.distName);
  }
}
