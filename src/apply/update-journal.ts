import {
  chmodSync,
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
import { MANIFEST_FILE, sha256 } from '../manifest/manifest.ts';
import { onFile } from '../project/fs-errors.ts';
import { resolveProjectPath, type PathOrigin } from '../project/project-paths.ts';
import { TEST_WRITE_DELAY_ENV, processIsAlive } from './processes.ts';

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
 *
 * A journal folder can also arrive with the project (committed, or in an
 * archive), so replaying one is guarded: every path in it goes through
 * src/project/project-paths.ts, and src/project/recover.ts replays only a
 * journal that is provably the work of this tool (its nonce, pid and manifest
 * hashes match the stale lock and the manifest it left, and git does not track it).
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

export interface JournalEntry {
  readonly path: string;
  readonly action: 'write' | 'remove';
  readonly existed: boolean;
}

export interface JournalData {
  readonly format: 2;
  readonly pid: number;
  /** The nonce of the project lock held by the run that wrote it (src/project/project-lock.ts). */
  readonly nonce: string;
  /** The command that wrote it, for messages. */
  readonly command: string;
  /** SHA-256 of the manifest before the run and of the one it writes (null: none). */
  readonly manifest: { readonly before: string | null; readonly after: string | null };
  readonly entries: readonly JournalEntry[];
  /** Folders that did not exist and may be created, outermost first. */
  readonly createdDirs: readonly string[];
}

/** Who writes a journal: the lock it holds. */
export interface JournalOwner {
  readonly nonce: string;
  readonly command: string;
}

function absolute(root: string, relative: string): string {
  return path.join(root, ...relative.split('/'));
}

function manifestHash(root: string): string | null {
  try {
    return sha256(readFileSync(path.join(root, MANIFEST_FILE)));
  } catch {
    return null;
  }
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

/**
 * Stages every change and writes the journal; the project itself is not
 * touched yet. Every path must already have passed the project path guard
 * (src/apply/apply-merge.ts resolves them). A failure here (a full disk) removes
 * the folder again and leaves the project as it was.
 */
export function prepareJournal(root: string, changes: readonly JournalChange[], owner: JournalOwner): string {
  const dir = path.join(root, `${JOURNAL_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  // One folder at a time: mkdir's recursive mode reports a read-only parent as ENOENT.
  onFile(dir, () => mkdirSync(dir));
  try {
    mkdirSync(path.join(dir, 'new'));
    mkdirSync(path.join(dir, 'old'));
    const createdDirs = new Set<string>();
    const manifestChange = changes.find((change) => change.path === MANIFEST_FILE);
    const entries: JournalEntry[] = changes.map((change, index) => {
      const target = absolute(root, change.path);
      const existed = exists(target);
      if (change.content !== undefined) {
        const staged = path.join(dir, 'new', String(index));
        const content = change.content;
        onFile(staged, () => writeFileSync(staged, content));
        const mode = existed ? statSync(target).mode & 0o7777 : change.executable ? 0o755 : 0o644;
        chmodSync(staged, mode);
        for (const missing of missingAncestors(root, change.path)) createdDirs.add(missing);
      }
      return { path: change.path, action: change.content === undefined ? 'remove' : 'write', existed };
    });
    const data: JournalData = {
      format: 2,
      pid: process.pid,
      nonce: owner.nonce,
      command: owner.command,
      manifest: { before: manifestHash(root), after: manifestChange?.content ? sha256(manifestChange.content) : null },
      entries,
      createdDirs: [...createdDirs].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)),
    };
    // Written last and renamed into place: a journal folder without journal.json never touched the project.
    const temporary = path.join(dir, `${JOURNAL_FILE}.tmp`);
    onFile(temporary, () => writeFileSync(temporary, JSON.stringify(data)));
    renameSync(temporary, path.join(dir, JOURNAL_FILE));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

export type JournalFile =
  | { readonly kind: 'missing' }
  | { readonly kind: 'damaged'; readonly reason: string }
  | { readonly kind: 'ok'; readonly data: JournalData };

const HEX = (length: number): RegExp => new RegExp(`^[0-9a-f]{${length}}$`);

function journalShapeProblem(value: unknown): string | undefined {
  const data = value as Partial<JournalData> | null;
  if (typeof data !== 'object' || data === null) return 'it is not a JSON object';
  if (data.format !== 2) return `its format is ${JSON.stringify(data.format)}, not 2 (written by another version, or not by this tool)`;
  if (!Number.isSafeInteger(data.pid) || (data.pid ?? 0) <= 0) return 'its pid is not a process id';
  if (typeof data.nonce !== 'string' || !HEX(32).test(data.nonce)) return 'its nonce is missing';
  if (typeof data.command !== 'string') return 'its command is missing';
  const hash = (item: unknown): boolean => item === null || (typeof item === 'string' && HEX(64).test(item));
  if (typeof data.manifest !== 'object' || data.manifest === null || !hash(data.manifest.before) || !hash(data.manifest.after)) {
    return 'its manifest hashes are missing';
  }
  if (!Array.isArray(data.entries) || !Array.isArray(data.createdDirs)) return 'its entries or createdDirs are missing';
  const entryOk = (entry: unknown): boolean => {
    const item = entry as Partial<JournalEntry> | null;
    return (
      typeof item === 'object' &&
      item !== null &&
      typeof item.path === 'string' &&
      (item.action === 'write' || item.action === 'remove') &&
      typeof item.existed === 'boolean'
    );
  };
  if (!data.entries.every(entryOk)) return 'an entry is not {path, action, existed}';
  if (!data.createdDirs.every((dir) => typeof dir === 'string')) return 'createdDirs holds something other than paths';
  return undefined;
}

/** Reads and shape-checks `journal.json`; never throws. */
export function readJournalFile(dir: string): JournalFile {
  let text: string;
  try {
    text = readFileSync(path.join(dir, JOURNAL_FILE), 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'damaged', reason: (error as Error).message };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: 'damaged', reason: `it is not valid JSON (${(error as Error).message})` };
  }
  const problem = journalShapeProblem(data);
  return problem === undefined ? { kind: 'ok', data: data as JournalData } : { kind: 'damaged', reason: problem };
}

function readJournal(dir: string): JournalData | undefined {
  const file = readJournalFile(dir);
  return file.kind === 'ok' ? file.data : undefined;
}

/**
 * Resolves every path a journal names (entries and createdDirs) inside the
 * project, or throws UnsafePathError naming the journal and the path: nothing
 * is replayed from a journal that names a path outside the project.
 */
export function resolveJournalPaths(root: string, dir: string, data: JournalData): { entries: string[]; createdDirs: string[] } {
  const file = `${path.basename(dir)}/${JOURNAL_FILE}`;
  const origin = (field: string): PathOrigin => ({ kind: 'journal', file, field, folder: path.basename(dir) });
  return {
    entries: data.entries.map((entry, index) => resolveProjectPath(root, entry.path, origin(`entries[${index}].path`), { allowToolFiles: entry.path === MANIFEST_FILE })),
    createdDirs: data.createdDirs.map((created, index) => resolveProjectPath(root, created, origin(`createdDirs[${index}]`))),
  };
}

/** Is the manifest on disk the one this journal found, the one it wrote, or (killed between its two renames) moved aside by it? */
export function manifestMatchesJournal(root: string, dir: string, data: JournalData): boolean {
  const current = manifestHash(root);
  if (current !== null) return current === data.manifest.before || current === data.manifest.after;
  const index = data.entries.findIndex((entry) => entry.path === MANIFEST_FILE);
  if (index < 0) return false;
  const old = path.join(dir, 'old', String(index));
  try {
    return sha256(readFileSync(old)) === data.manifest.before;
  } catch {
    return false;
  }
}

/** Performs the staged changes in order; stops between two files when the signal fires. */
export async function applyJournal(root: string, dir: string, signal?: AbortSignal): Promise<void> {
  const data = readJournal(dir);
  if (!data) throw new Error(`The update journal in ${dir} cannot be read.`);
  const delay = Number(process.env[TEST_WRITE_DELAY_ENV] ?? 0);
  const resolved = resolveJournalPaths(root, dir, data);
  for (const [index, entry] of data.entries.entries()) {
    throwIfCancelled(signal);
    const target = resolved.entries[index]!;
    if (entry.existed) renameSync(target, path.join(dir, 'old', String(index)));
    if (entry.action === 'write') {
      for (const [created, folder] of data.createdDirs.map((item, at) => [item, resolved.createdDirs[at]!] as const)) {
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
 * Every path is resolved inside the project before anything moves: a journal
 * naming one outside it throws UnsafePathError and nothing is touched.
 */
export function rollbackJournal(root: string, dir: string): string[] {
  const data = readJournal(dir);
  if (!data) {
    rmSync(dir, { recursive: true, force: true });
    return [];
  }
  const resolved = resolveJournalPaths(root, dir, data);
  const failures: string[] = [];
  for (let index = data.entries.length - 1; index >= 0; index -= 1) {
    const entry = data.entries[index] as JournalEntry;
    const target = resolved.entries[index]!;
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
  for (const folder of [...resolved.createdDirs].reverse()) {
    try {
      rmdirSync(folder);
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
