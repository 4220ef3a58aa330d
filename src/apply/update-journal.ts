import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { throwIfCancelled } from '../errors.ts';
import { TEST_WRITE_DELAY_ENV, processIsAlive } from './write-new-project.ts';

/**
 * Changing files inside an existing project, so that it can always be undone.
 *
 * Before a single file of the project is touched, every new content is staged
 * in a journal folder at the project root (`.cprp-update-<pid>-<random>/new/`),
 * and `journal.json` lists what will happen to which path. Each change is then
 * two renames: the old file into `old/`, the new one into place. Undo needs
 * nothing but that folder: whatever is in `old/` goes back, a file that did not
 * exist before and was moved in goes away. So Ctrl-C, a failure, or even a
 * SIGKILL (the next run finds the folder of a dead process and replays it)
 * leaves the project exactly as it was.
 */

export const JOURNAL_PREFIX = '.cprp-update-';
const JOURNAL_FILE = 'journal.json';

export interface JournalChange {
  /** Project-relative, forward slashes. */
  readonly path: string;
  /** The new content; absent to delete the file. */
  readonly content?: Buffer;
  /** Mode for a file that does not exist yet; an existing file keeps its own. */
  readonly executable?: boolean;
}

interface JournalEntry {
  readonly path: string;
  readonly action: 'write' | 'remove';
  readonly existed: boolean;
}

interface JournalData {
  readonly format: 1;
  readonly pid: number;
  readonly entries: readonly JournalEntry[];
  /** Folders that did not exist and may be created, outermost first. */
  readonly createdDirs: readonly string[];
}

function absolute(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function missingAncestors(root: string, relative: string): string[] {
  const segments = relative.split('/').slice(0, -1);
  const missing: string[] = [];
  for (let index = 1; index <= segments.length; index += 1) {
    const dir = segments.slice(0, index).join('/');
    if (!exists(absolute(root, dir))) missing.push(dir);
  }
  return missing;
}

/** Stages every change and writes the journal; the project itself is not touched yet. */
export function prepareJournal(root: string, changes: readonly JournalChange[]): string {
  const dir = path.join(root, `${JOURNAL_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(path.join(dir, 'new'), { recursive: true });
  mkdirSync(path.join(dir, 'old'));
  try {
    const createdDirs = new Set<string>();
    const entries: JournalEntry[] = changes.map((change, index) => {
      const target = absolute(root, change.path);
      const existed = exists(target);
      if (change.content !== undefined) {
        const staged = path.join(dir, 'new', String(index));
        writeFileSync(staged, change.content);
        const mode = existed ? statSync(target).mode & 0o7777 : change.executable ? 0o755 : 0o644;
        chmodSync(staged, mode);
        for (const missing of missingAncestors(root, change.path)) createdDirs.add(missing);
      }
      return { path: change.path, action: change.content === undefined ? 'remove' : 'write', existed };
    });
    const data: JournalData = {
      format: 1,
      pid: process.pid,
      entries,
      createdDirs: [...createdDirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)),
    };
    // Written last and renamed into place: a journal folder without journal.json never touched the project.
    writeFileSync(path.join(dir, `${JOURNAL_FILE}.tmp`), JSON.stringify(data));
    renameSync(path.join(dir, `${JOURNAL_FILE}.tmp`), path.join(dir, JOURNAL_FILE));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

function readJournal(dir: string): JournalData | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, JOURNAL_FILE), 'utf8')) as JournalData;
  } catch {
    return undefined;
  }
}

/** Performs the staged changes in order; stops between two files when the signal fires. */
export async function applyJournal(root: string, dir: string, signal?: AbortSignal): Promise<void> {
  const data = readJournal(dir);
  if (!data) throw new Error(`The update journal in ${dir} cannot be read.`);
  const delay = Number(process.env[TEST_WRITE_DELAY_ENV] ?? 0);
  for (const [index, entry] of data.entries.entries()) {
    throwIfCancelled(signal);
    const target = absolute(root, entry.path);
    if (entry.existed) renameSync(target, path.join(dir, 'old', String(index)));
    if (entry.action === 'write') {
      for (const created of data.createdDirs) {
        const folder = absolute(root, created);
        if (entry.path.startsWith(`${created}/`) && !exists(folder)) mkdirSync(folder);
      }
      renameSync(path.join(dir, 'new', String(index)), target);
    }
    if (delay > 0) await sleep(delay);
  }
  throwIfCancelled(signal);
}

/**
 * Puts the project back as it was before `applyJournal` started, from the
 * journal folder alone, then deletes the folder. Returns the paths it could
 * not restore (their old content is still in the folder, which is then kept).
 */
export function rollbackJournal(root: string, dir: string): string[] {
  const data = readJournal(dir);
  if (!data) {
    rmSync(dir, { recursive: true, force: true });
    return [];
  }
  const failures: string[] = [];
  for (let index = data.entries.length - 1; index >= 0; index -= 1) {
    const entry = data.entries[index] as JournalEntry;
    const target = absolute(root, entry.path);
    const old = path.join(dir, 'old', String(index));
    try {
      if (exists(old)) {
        renameSync(old, target);
      } else if (entry.action === 'write' && !entry.existed && !exists(path.join(dir, 'new', String(index)))) {
        if (exists(target)) unlinkSync(target);
      }
    } catch {
      failures.push(entry.path);
    }
  }
  for (const created of [...data.createdDirs].reverse()) {
    try {
      rmdirSync(absolute(root, created));
    } catch {
      // not created by this run, or not empty: leave it
    }
  }
  if (failures.length === 0) rmSync(dir, { recursive: true, force: true });
  return failures;
}

/** The changes are kept: the backups go. */
export function discardJournal(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface FoundJournal {
  readonly dir: string;
  readonly pid: number;
  readonly alive: boolean;
}

export function findJournals(root: string): FoundJournal[] {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.startsWith(JOURNAL_PREFIX))
    .map((entry) => {
      const pid = Number(entry.slice(JOURNAL_PREFIX.length).split('-')[0]);
      const alive = Number.isInteger(pid) && pid > 0 && (pid === process.pid || processIsAlive(pid));
      return { dir: path.join(root, entry), pid, alive };
    });
}

/** Replays the journal of every run that was killed half way; returns the folders it restored from. */
export function recoverInterruptedUpdates(root: string): { dir: string; failures: string[] }[] {
  return findJournals(root)
    .filter((journal) => !journal.alive && existsSync(journal.dir))
    .map((journal) => ({ dir: journal.dir, failures: rollbackJournal(root, journal.dir) }));
}
