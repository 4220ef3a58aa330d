import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, UserError, throwIfCancelled, usageError } from '../errors.ts';
import { fsReason, isFsError, onFile } from '../project/fs-errors.ts';
import { TEST_WRITE_DELAY_ENV, processIsAlive } from './processes.ts';
import { Transaction } from './transaction.ts';

export interface FileToWrite {
  readonly path: string;
  readonly content: Buffer;
  readonly executable: boolean;
}

export interface WriteReport {
  /** Files that did not exist before. */
  readonly created: readonly string[];
  /** `--force` only: files that existed with other content, and where the old content was kept. */
  readonly keptAside: readonly { readonly path: string; readonly backup: string }[];
  /** `--force` only: files that already had exactly the planned content. */
  readonly unchanged: readonly string[];
}

/** Staging directories are named after the target and the writing process, so a dead one is recognisable. */
const STAGING_INFIX = '.cprp-staging-';

export type TargetState = 'missing' | 'empty' | 'non-empty' | 'not-a-directory';

export function inspectTarget(target: string): TargetState {
  let stat;
  try {
    stat = lstatSync(target);
  } catch {
    return 'missing';
  }
  if (!stat.isDirectory()) return 'not-a-directory';
  return readdirSync(target).length === 0 ? 'empty' : 'non-empty';
}


/**
 * Removes staging directories left by a generator process that was killed
 * outright (SIGKILL, power loss) before it could clean up after itself.
 */
export function sweepStaleStaging(target: string): void {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}${STAGING_INFIX}`;
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processIsAlive(pid)) {
      rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Refuses, before anything is written, a plan that cannot land: a planned path
 * whose parent is a file in the target, or which is itself a directory there.
 */
function assertPlanFits(target: string, files: readonly FileToWrite[]): void {
  for (const file of files) {
    const segments = file.path.split('/');
    for (let index = 1; index <= segments.length; index += 1) {
      const candidate = path.join(target, ...segments.slice(0, index));
      let stat;
      try {
        stat = lstatSync(candidate);
      } catch {
        break;
      }
      const isLast = index === segments.length;
      if (!isLast && !stat.isDirectory()) {
        throw usageError(`Cannot write ${file.path}: ${segments.slice(0, index).join('/')} exists and is not a directory.`);
      }
      if (isLast && !stat.isFile()) {
        throw usageError(`Cannot write ${file.path}: something that is not a regular file is already there.`);
      }
    }
  }
}

function nextFreeBackupName(file: string): string {
  let candidate = `${file}.orig`;
  for (let counter = 2; existsSync(candidate); counter += 1) candidate = `${file}.orig.${counter}`;
  return candidate;
}

/** Creates the missing ancestors of `dir` (outermost first), recording each so undo can remove it. */
function mkdirRecorded(dir: string, transaction: Transaction): void {
  const missing: string[] = [];
  for (let current = dir; !existsSync(current); current = path.dirname(current)) {
    missing.unshift(current);
    if (path.dirname(current) === current) break;
  }
  for (const directory of missing) {
    mkdirSync(directory);
    transaction.createdDir(directory);
  }
}

async function stage(staging: string, files: readonly FileToWrite[], signal: AbortSignal | undefined): Promise<void> {
  const delay = Number(process.env[TEST_WRITE_DELAY_ENV] ?? 0);
  // Created on its own first: mkdir's recursive mode reports a read-only parent as ENOENT.
  onFile(staging, () => mkdirSync(staging));
  const made = new Set<string>([staging]);
  for (const file of files) {
    throwIfCancelled(signal);
    const destination = path.join(staging, ...file.path.split('/'));
    const parent = path.dirname(destination);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    onFile(destination, () => writeFileSync(destination, file.content, { mode: file.executable ? 0o755 : 0o644 }));
    if (delay > 0) await sleep(delay);
  }
  throwIfCancelled(signal);
}

/**
 * Writes a new project atomically: every file is staged in a
 * directory beside the target and the whole tree is renamed into place at once,
 * so an interruption leaves either nothing or everything. With `force` into a
 * non-empty directory, files are moved in one by one and each replaced file is
 * kept as `<name>.orig`; the returned transaction can undo all of it until the
 * caller commits.
 */
export async function writeNewProject(
  target: string,
  files: readonly FileToWrite[],
  options: { readonly force: boolean; readonly signal?: AbortSignal | undefined },
): Promise<{ transaction: Transaction; report: WriteReport }> {
  const state = inspectTarget(target);
  if (state === 'not-a-directory') {
    throw usageError(`${target} exists and is not a directory.`);
  }
  if (state === 'non-empty' && !options.force) {
    throw usageError(`${target} is not empty.`, [
      'Choose another directory, or pass --force to generate into it (existing files are kept; any replaced file is saved as <name>.orig).',
    ]);
  }
  if (state === 'non-empty') assertPlanFits(target, files);

  sweepStaleStaging(target);
  const parent = path.dirname(target);
  const transaction = new Transaction();
  try {
    mkdirRecorded(parent, transaction);
  } catch (error) {
    transaction.rollback();
    throw new UserError(`Cannot create ${parent}: ${(error as Error).message}`, ExitCode.failed);
  }
  const staging = path.join(
    parent,
    `.${path.basename(target)}${STAGING_INFIX}${process.pid}-${randomBytes(4).toString('hex')}`,
  );

  try {
    await stage(staging, files, options.signal);
    if (state !== 'non-empty') {
      if (state === 'empty') {
        rmdirSync(target);
        transaction.removedEmptyDir(target);
      }
      renameSync(staging, target);
      transaction.createdTree(target);
      return { transaction, report: { created: files.map((file) => file.path), keptAside: [], unchanged: [] } };
    }
    return { transaction, report: moveIntoExisting(staging, target, files, transaction) };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    transaction.rollback();
    if (isFsError(error)) {
      throw new UserError(`Cannot write the project into ${target}: ${fsReason(error)}${error.path ? ` at ${error.path}` : ''}.`, ExitCode.failed, [
        'Nothing was written: the folder is exactly as it was.',
      ]);
    }
    throw error;
  }
}

function moveIntoExisting(
  staging: string,
  target: string,
  files: readonly FileToWrite[],
  transaction: Transaction,
): WriteReport {
  const created: string[] = [];
  const unchanged: string[] = [];
  const keptAside: { path: string; backup: string }[] = [];
  for (const file of files) {
    const from = path.join(staging, ...file.path.split('/'));
    const to = path.join(target, ...file.path.split('/'));
    if (existsSync(to)) {
      if (readFileSync(to).equals(file.content)) {
        unchanged.push(file.path);
        continue;
      }
      const backup = nextFreeBackupName(to);
      renameSync(to, backup);
      transaction.movedAside(to, backup);
      keptAside.push({ path: file.path, backup: path.relative(target, backup).split(path.sep).join('/') });
    } else {
      mkdirRecorded(path.dirname(to), transaction);
      created.push(file.path);
    }
    renameSync(from, to);
    transaction.createdFile(to);
  }
  rmSync(staging, { recursive: true, force: true });
  return { created, keptAside, unchanged };
}
