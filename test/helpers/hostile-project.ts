import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodePristine, encodePristine, sha256 } from '../../src/manifest/manifest.ts';
import { runCli } from './cli.ts';
import { commitAll } from './project-history.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * Projects as an attacker (or bad luck) would hand them over: a generated
 * project whose manifest, journal folders or symlinks were edited and
 * committed. Each copy sits in a folder of its own beside a victim file and
 * an empty victim folder, so a test can tell whether anything outside the
 * project was written, deleted or read.
 */

export const MANIFEST = '.roadmap-project.json';
export const VICTIM_TEXT = 'the user’s file outside the project\n';

export interface HostileCopy {
  /** The project. */
  readonly dir: string;
  /** The folder holding the project, the victim file and the victim folder. */
  readonly parent: string;
  /** `<parent>/victim.txt`. */
  readonly victim: string;
  /** `<parent>/victim-dir/`, empty. */
  readonly victimDir: string;
}

/** A python-foundations project in its own git repository, made once per test file and copied per test. */
export async function generateFoundations(name = 'log-tool'): Promise<string> {
  const parent = makeTempDir('cprp-hostile-source');
  const result = await runCli([name, '--milestone', 'python-foundations', '--no-install'], { cwd: parent });
  if (result.exitCode !== 0) throw new Error(`generation failed: ${result.stderr}`);
  return path.join(parent, name);
}

export function hostileCopy(source: string): HostileCopy {
  const parent = makeTempDir('cprp-hostile');
  const dir = path.join(parent, path.basename(source));
  cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  const victim = path.join(parent, 'victim.txt');
  writeFileSync(victim, VICTIM_TEXT);
  const victimDir = path.join(parent, 'victim-dir');
  mkdirSync(victimDir);
  return { dir, parent, victim, victimDir };
}

export interface ManifestJson {
  format: number;
  generator: { name: string; version: string };
  answers: { name: string; milestones: string[]; extraFeatures: string[]; options: Record<string, string> };
  features: string[];
  files: Record<string, unknown>;
  generated?: unknown[];
  pristine: string;
  [key: string]: unknown;
}

export function readManifestJson(dir: string): ManifestJson {
  return JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as ManifestJson;
}

export function writeManifestJson(dir: string, manifest: unknown): void {
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Edits the manifest; `files` gives extra pristine copies to record (path → content). */
export function editManifest(
  dir: string,
  change: (manifest: ManifestJson) => void,
  pristine: Readonly<Record<string, string>> = {},
): void {
  const manifest = readManifestJson(dir);
  change(manifest);
  if (Object.keys(pristine).length > 0) {
    const decoded = decodePristine(manifest.pristine);
    for (const [file, content] of Object.entries(pristine)) decoded.set(file, Buffer.from(content));
    manifest.pristine = encodePristine([...decoded].map(([file, content]) => ({ path: file, content })));
  }
  writeManifestJson(dir, manifest);
}

/** A manifest `files` entry claiming `file` was generated with `content` (so "unchanged" if the disk agrees). */
export function claimFile(dir: string, file: string, content: string): void {
  editManifest(
    dir,
    (manifest) => {
      manifest.files[file] = { sha256: sha256(Buffer.from(content)), policy: 'merge', source: 'base' };
    },
    { [file]: content },
  );
}

/** The pid of a process that has exited: a journal or lock naming it is "left by a dead process". */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
}

export interface JournalSpec {
  readonly entries: readonly { path: string; action: 'write' | 'remove'; existed: boolean }[];
  readonly createdDirs?: readonly string[];
  /** `old/<index>` backups: what a rollback puts back at entries[index].path. */
  readonly old?: Readonly<Record<number, string>>;
  /** Also leave a stale lock naming the journal (what a killed run leaves). */
  readonly staleLock?: boolean;
}

/**
 * Writes a journal folder the way a killed `update` leaves one, with every
 * field a later version may look at (a nonce shared with a stale lock, the
 * manifest's hash), so only the path checks or the git check can refuse it.
 */
export function plantJournal(dir: string, spec: JournalSpec): string {
  const pid = deadPid();
  const nonce = 'a1'.repeat(16);
  const folder = path.join(dir, `.cprp-update-${pid}-deadbeef`);
  mkdirSync(path.join(folder, 'new'), { recursive: true });
  mkdirSync(path.join(folder, 'old'), { recursive: true });
  for (const [index, content] of Object.entries(spec.old ?? {})) writeFileSync(path.join(folder, 'old', index), content);
  const manifestHash = sha256(readFileSync(path.join(dir, MANIFEST)));
  writeFileSync(
    path.join(folder, 'journal.json'),
    JSON.stringify({
      format: 2,
      pid,
      nonce,
      command: 'update',
      manifest: { before: manifestHash, after: manifestHash },
      entries: spec.entries,
      createdDirs: spec.createdDirs ?? [],
    }),
  );
  if (spec.staleLock) {
    writeFileSync(
      path.join(dir, '.cprp-lock'),
      JSON.stringify({ format: 1, pid, nonce, hostname: os.hostname(), command: 'update', started: new Date().toISOString() }),
    );
  }
  return folder;
}

/** Commits everything, as the attacker's repository would have it. */
export async function commitHostile(dir: string): Promise<void> {
  await commitAll(dir, 'hostile');
}

/** Every entry under `root` with its bytes (files) or "dir"/"link -> target": equal means nothing changed, symlinks not followed. */
export function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const key = path.relative(root, full).split(path.sep).join('/');
      if (entry.isSymbolicLink()) out[key] = 'link';
      else if (entry.isDirectory()) {
        out[`${key}/`] = (statSync(full).mode & 0o777).toString(8);
        walk(full);
      } else out[key] = `${(statSync(full).mode & 0o777).toString(8)} ${readFileSync(full).toString('base64')}`;
    }
  };
  walk(root);
  return out;
}
