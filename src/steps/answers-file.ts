import { readFileSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.ts';
import type { CreateFlags } from '../options.ts';
import { resolveProjectPath } from '../project/project-paths.ts';

type FileAnswers = Partial<Pick<CreateFlags, 'directory' | 'name' | 'phase' | 'milestones' | 'options' | 'git' | 'install'>>;

const KEYS = ['directory', 'name', 'phase', 'milestones', 'options', 'git', 'install'] as const;

/**
 * Reads `--answers FILE`: a JSON object with any of the keys above, or a
 * project manifest (its recorded answers are used), so a project can be
 * regenerated from another one's `.roadmap-project.json`. An answers file may
 * come from anyone, so a `directory` in it must be a plain relative path that
 * stays inside the folder the command runs in (a directory typed on the
 * command line is the user's own choice and is used as typed).
 */
export function readAnswersFile(file: string, cwd: string): FileAnswers {
  const where = path.resolve(cwd, file);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(where, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw usageError(`Cannot read the answers file ${file}: ${reason}.`);
  }
  if (typeof data === 'object' && data !== null && 'answers' in data && 'format' in data) {
    data = (data as { answers: unknown }).answers;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw usageError(`The answers file ${file} must contain a JSON object.`, [`Keys: ${KEYS.join(', ')}`]);
  }
  const bad = (key: string, expected: string): never => {
    throw usageError(`The answers file ${file}: "${key}" must be ${expected}.`);
  };
  const record = data as Record<string, unknown>;
  const answers: { -readonly [K in keyof FileAnswers]: FileAnswers[K] } = {};
  for (const [key, value] of Object.entries(record)) {
    switch (key) {
      case 'directory':
        if (typeof value !== 'string') bad(key, 'a string');
        resolveProjectPath(cwd, value as string, { kind: 'answers', file, field: key }, { allowToolFiles: true });
        answers[key] = value as string;
        break;
      case 'name':
      case 'phase':
        if (typeof value !== 'string') bad(key, 'a string');
        answers[key] = value as string;
        break;
      case 'milestones':
        if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) bad(key, 'a list of milestone ids');
        answers.milestones = value as string[];
        break;
      case 'options':
        if (
          typeof value !== 'object' || value === null || Array.isArray(value) ||
          !Object.values(value).every((item) => typeof item === 'string')
        ) {
          bad(key, 'an object of option id → value strings');
        }
        answers.options = value as Record<string, string>;
        break;
      case 'git':
      case 'install':
        if (typeof value !== 'boolean') bad(key, 'true or false');
        answers[key] = value as boolean;
        break;
      case 'extraFeatures':
        // recorded in manifests; `create` derives features from milestones
        break;
      default:
        throw usageError(`The answers file ${file} has an unknown key "${key}".`, [`Keys: ${KEYS.join(', ')}`]);
    }
  }
  return answers;
}

/** Command-line flags win over the answers file, key by key (options merge per option). */
export function mergeAnswers(flags: CreateFlags, file: FileAnswers): CreateFlags {
  return {
    ...flags,
    ...(flags.directory === undefined && file.directory !== undefined ? { directory: file.directory } : {}),
    // A directory on the command line names the project, unless --name says otherwise.
    ...(flags.name === undefined && flags.directory === undefined && file.name !== undefined ? { name: file.name } : {}),
    ...(flags.phase === undefined && file.phase !== undefined ? { phase: file.phase } : {}),
    milestones: flags.milestones.length > 0 ? flags.milestones : (file.milestones ?? []),
    options: { ...file.options, ...flags.options },
    ...(flags.git === undefined && file.git !== undefined ? { git: file.git } : {}),
    ...(flags.install === undefined && file.install !== undefined ? { install: file.install } : {}),
  };
}
