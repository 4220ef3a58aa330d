import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { UserError, ExitCode } from '../errors.ts';

/**
 * The one gate every project-relative path goes through before the tool
 * reads, writes or deletes anything with it: paths recorded in the manifest
 * (`files`, generation records), in a journal left by a killed run, in an
 * answers file, and the paths the templates render. A project is often
 * someone else's repository, so none of these can be trusted to stay inside it.
 */

/** Where a path came from: it decides how the refusal names the culprit. */
export type PathOrigin =
  | { readonly kind: 'manifest'; readonly file: string; readonly field: string }
  | { readonly kind: 'journal'; readonly file: string; readonly field: string; readonly folder: string }
  | { readonly kind: 'answers'; readonly file: string; readonly field: string }
  | { readonly kind: 'plan' };

export const MAX_PATH_LENGTH = 1024;

/** Control, format (bidirectional overrides, zero-width) and separator characters: never part of a path we write. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** Shows a path with its invisible characters spelled out (`\u0000`), so a message cannot hide or reorder them. */
export function showPath(value: string): string {
  return value.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

export interface PathRules {
  /** Names a first segment the tool keeps for itself (the manifest, journals, the lock): allowed only where the tool writes them. */
  readonly allowToolFiles?: boolean;
}

/**
 * Why `value` is not a plain project-relative path, or undefined when it is:
 * relative, with forward slashes, normalized (no empty, `.` or `..` segment),
 * no control or invisible character, not inside `.git`, and not one of the
 * tool's own files unless the rules allow it. Pure: no disk.
 */
export function pathProblem(value: unknown, rules: PathRules = {}): string | undefined {
  if (typeof value !== 'string') return 'is not a string';
  if (value === '') return 'is empty';
  if (value.length > MAX_PATH_LENGTH) return `is longer than ${MAX_PATH_LENGTH} characters`;
  if (UNPRINTABLE.test(value)) return 'contains a control or invisible character';
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return 'is absolute';
  if (value.includes('\\')) return 'contains a backslash (project paths use forward slashes)';
  const segments = value.split('/');
  if (segments.includes('..')) return 'climbs out of the project with ".."';
  if (segments.some((segment) => segment === '' || segment === '.')) return 'is not normalized (an empty or "." segment)';
  if (segments.some((segment) => segment.toLowerCase() === '.git')) return 'is inside the .git folder';
  const first = segments[0]!;
  if (!rules.allowToolFiles && (first.startsWith('.cprp-') || value === '.roadmap-project.json')) {
    return 'is one of the files the tool keeps for itself';
  }
  return undefined;
}

/** The refusal: exit 2, naming the file the path came from, the field, the path and what is wrong with it. */
export class UnsafePathError extends UserError {
  constructor(
    readonly origin: PathOrigin,
    readonly value: string,
    readonly problem: string,
  ) {
    super(...describe(origin, value, problem));
  }
}

function describe(origin: PathOrigin, value: string, problem: string): [string, ExitCode, string[]] {
  const shown = `"${showPath(value)}"`;
  switch (origin.kind) {
    case 'manifest':
      return [
        `The project's manifest is damaged or was edited: ${origin.file} ${origin.field} holds ${shown}, which ${problem}.`,
        ExitCode.usage,
        [
          'Nothing was changed. Every path the manifest records must stay inside the project.',
          `If you did not edit it, restore it from git (git checkout -- ${origin.file}) or from the project's author.`,
        ],
      ];
    case 'journal':
      return [
        `The journal ${origin.file} is damaged or was edited: ${origin.field} holds ${shown}, which ${problem}.`,
        ExitCode.usage,
        [
          'Nothing was changed. It is not the record of an interrupted run of this tool, so it was not replayed.',
          `Delete it: rm -rf ${origin.folder}`,
        ],
      ];
    case 'answers':
      return [
        `The answers file ${origin.file} is damaged or was edited: "${origin.field}" holds ${shown}, which ${problem}.`,
        ExitCode.usage,
        ['Nothing was written. A directory from an answers file must be a relative path inside the folder the command runs in.'],
      ];
    case 'plan':
      return [`Cannot write ${shown} safely: it ${problem}.`, ExitCode.usage, ['Nothing was changed.']];
  }
}

/** Checks a path's spelling; throws UnsafePathError naming its origin. */
export function assertSafePath(value: string, origin: PathOrigin, rules: PathRules = {}): void {
  const problem = pathProblem(value, rules);
  if (problem !== undefined) throw new UnsafePathError(origin, value, problem);
}

function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves a project-relative path to an absolute one inside `root`, or
 * throws UnsafePathError: its spelling must pass `pathProblem`, and every
 * folder on the way that exists must, once symlinks are resolved, still be
 * inside the project (a committed symlink `docs -> /etc` cannot carry a write
 * out of it). The last segment itself may be a symlink: the tool replaces or
 * removes a link, it never writes through one.
 */
export function resolveProjectPath(root: string, value: string, origin: PathOrigin, rules: PathRules = {}): string {
  assertSafePath(value, origin, rules);
  const realRoot = realpathSync(root);
  const segments = value.split('/');
  let current = realRoot;
  for (let index = 0; index < segments.length - 1; index += 1) {
    const next = path.join(current, segments[index]!);
    let stat;
    try {
      stat = lstatSync(next);
    } catch {
      break;
    }
    if (stat.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(next);
      } catch {
        throw new UnsafePathError(origin, value, `goes through ${segments.slice(0, index + 1).join('/')}, a symbolic link that leads nowhere`);
      }
      if (!isInside(realRoot, target)) {
        throw new UnsafePathError(origin, value, `goes through ${segments.slice(0, index + 1).join('/')}, a symbolic link out of the project (to ${target})`);
      }
      current = target;
    } else {
      current = next;
    }
  }
  return path.join(root, ...segments);
}

/**
 * The absolute path of `value`, resolved against `root` (a folder the user
 * chose), which must stay inside it: for a directory named by an answers file.
 */
export function resolveInsideFolder(root: string, value: string, origin: PathOrigin): string {
  assertSafePath(value, origin, { allowToolFiles: true });
  return path.join(root, ...value.split('/'));
}
