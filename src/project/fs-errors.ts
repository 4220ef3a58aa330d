import path from 'node:path';
import { ExitCode, UserError } from '../errors.ts';

/**
 * What the disk can refuse (a read-only folder, a full disk, a file where a
 * folder should be...) is not a bug of the tool: it becomes one clear message
 * naming the path, exit 1. The writers have already put everything back by
 * the time it is printed (they roll back on any error), so the message can
 * say so.
 */

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EEXIST: 'something is already there',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENOTEMPTY: 'the folder is not empty',
  ENOENT: 'no such file or folder',
  EXDEV: 'it is on another file system than the project (a move cannot cross file systems)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'it is busy (in use by another program)',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'input/output error',
  EFBIG: 'the file is too large',
};

const VERBS: Readonly<Record<string, string>> = {
  open: 'write',
  write: 'write',
  mkdir: 'create the folder',
  rmdir: 'remove the folder',
  rename: 'move a file to',
  unlink: 'delete',
  link: 'create',
  chmod: 'set the mode of',
  copyfile: 'copy to',
  read: 'read',
  scandir: 'list',
  lstat: 'look at',
  stat: 'look at',
};

export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && code in REASONS;
}

/**
 * Runs `work` and, if the disk refuses it, records `file` on the error when
 * Node did not (a failed `write` names no path), so the message can say where.
 */
export function onFile<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isFsError(error) && error.path === undefined) error.path = file;
    throw error;
  }
}

/** "permission denied (EACCES)": what went wrong, in words, with the code to search for. */
export function fsReason(error: NodeJS.ErrnoException): string {
  const code = error.code ?? 'EIO';
  return `${REASONS[code] ?? error.message} (${code})`;
}

/**
 * The user-facing form of a file-system error: `Cannot move a file to
 * src/app/main.py: read-only file system (EROFS).` Paths inside `cwd` are
 * shown relative to it.
 */
export function fsErrorToUserError(error: NodeJS.ErrnoException, cwd: string): UserError {
  const syscall = error.syscall ?? '';
  const target = (error as NodeJS.ErrnoException & { dest?: string }).dest ?? error.path;
  const shown = target === undefined ? 'a file' : showRelative(cwd, target);
  const verb = VERBS[syscall] ?? 'write';
  return new UserError(`Cannot ${verb} ${shown}: ${fsReason(error)}.`, ExitCode.failed, [
    'Nothing was changed: everything written before the error was put back.',
  ]);
}

function showRelative(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
