import path from 'node:path';
import { UserError, usageError } from '../errors.ts';
import { buildProjectNames, type ProjectNames } from '../render/project-names.ts';
import type { StepContext } from './context.ts';

export const DEFAULT_PROJECT_NAME = 'roadmap-project';

export interface ProjectLocation {
  /** The name as typed; buildProjectNames turns it into every other name. */
  readonly name: string;
  readonly names: ProjectNames;
  /** Absolute path of the directory the project goes into. */
  readonly directory: string;
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

/**
 * The project name and where it goes. The positional argument is a directory
 * path (used as typed); the name defaults to its last segment. With neither a
 * directory nor --name, the name is asked for and the directory is the
 * normalized distribution name in the current directory.
 */
export async function chooseProjectName(ctx: StepContext): Promise<ProjectLocation> {
  const { flags, io } = ctx;
  const fromDirectory = flags.directory === undefined ? undefined : path.basename(path.resolve(io.cwd, flags.directory));
  let name = flags.name ?? fromDirectory;
  if (name === undefined) {
    if (ctx.interactive) {
      name = String(
        await io.prompt({ type: 'text', message: 'Project name', initial: DEFAULT_PROJECT_NAME, validate: validateName }),
      );
    } else if (flags.yes) {
      name = DEFAULT_PROJECT_NAME;
    } else {
      throw usageError('No project name was given and there is no terminal to ask for one.', [
        'Pass a directory (create-python-roadmap-project my-api), --name NAME, or --yes for the default name.',
      ]);
    }
  }
  const names = buildProjectNames(name);
  const directory = path.resolve(io.cwd, flags.directory ?? names.distName);
  // The folded title (fullwidth letters, curly quotes made plain) is what the project records.
  return { name: names.displayName, names, directory };
}
