import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT } from './cli.ts';
import { makeTempDir } from './temp-dir.ts';

/**
 * A newer release of the generator, for update tests: a copy of the built
 * package (dist, templates, catalog) with its version bumped and its templates
 * or catalog edited. Its `cli` runs exactly like the real one, from its own root.
 */
export interface GeneratorCopy {
  readonly root: string;
  readonly cli: string;
  readonly version: string;
  /** Replaces text in a template file (path relative to templates/); throws when `from` is absent. */
  replaceInTemplate(template: string, from: string, to: string): void;
  appendToTemplate(template: string, text: string): void;
  writeTemplate(template: string, text: string): void;
  removeTemplate(template: string): void;
  /**
   * Adds a milestone to the copy's catalog that reuses an existing milestone's
   * features under a new id: something to `add` before a second real milestone ships.
   */
  addMilestoneLike(existing: string, id: string, title: string): void;
}

/** A copy of the built package at `version` (default: the same version, e.g. only the catalog differs). */
export function copyGenerator(version?: string): GeneratorCopy {
  const root = makeTempDir('cprp-generator');
  for (const entry of ['dist', 'templates', 'roadmap.json', 'schema', 'package.json']) {
    cpSync(path.join(REPO_ROOT, entry), path.join(root, entry), { recursive: true });
  }
  const packageJson = path.join(root, 'package.json');
  const current = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  writeFileSync(packageJson, readFileSync(packageJson, 'utf8').replace(/"version": "[^"]+"/, `"version": "${version ?? current}"`));
  const template = (relative: string): string => path.join(root, 'templates', ...relative.split('/'));
  return {
    root,
    cli: path.join(root, 'dist', 'cli.js'),
    version: version ?? current,
    replaceInTemplate(relative, from, to) {
      const text = readFileSync(template(relative), 'utf8');
      if (!text.includes(from)) throw new Error(`templates/${relative} does not contain ${JSON.stringify(from)}`);
      writeFileSync(template(relative), text.replace(from, to));
    },
    appendToTemplate(relative, text) {
      writeFileSync(template(relative), readFileSync(template(relative), 'utf8') + text);
    },
    writeTemplate(relative, text) {
      writeFileSync(template(relative), text);
    },
    removeTemplate(relative) {
      rmSync(template(relative));
    },
    addMilestoneLike(existing, id, title) {
      const file = path.join(root, 'roadmap.json');
      const roadmap = JSON.parse(readFileSync(file, 'utf8')) as { milestones: { id: string; title: string; challenges?: unknown }[] };
      const model = roadmap.milestones.find((milestone) => milestone.id === existing);
      if (!model) throw new Error(`no milestone ${existing}`);
      // Challenge ids are unique across milestones: the look-alike has none of its own.
      const { challenges: _challenges, ...rest } = model;
      roadmap.milestones.push({ ...rest, id, title });
      writeFileSync(file, `${JSON.stringify(roadmap, null, 2)}\n`);
    },
  };
}

export const GIT_IDENTITY = ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid'];

export async function git(dir: string, ...args: string[]): Promise<string> {
  const result = await execa('git', [...GIT_IDENTITY, ...args], { cwd: dir });
  return String(result.stdout);
}

export async function commitAll(dir: string, message: string): Promise<void> {
  await git(dir, 'add', '--all');
  await git(dir, 'commit', '--quiet', '--no-verify', '--message', message);
}

/** Every file under `root` (outside .git) with its mode and bytes: equal snapshots mean nothing changed. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      const key = path.relative(root, full).split(path.sep).join('/');
      const mode = (statSync(full).mode & 0o777).toString(8);
      if (entry.isDirectory()) {
        out[`${key}/`] = mode;
        walk(full);
      } else {
        out[key] = `${mode} ${readFileSync(full).toString('base64')}`;
      }
    }
  };
  walk(root);
  return out;
}

export function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, ...file.split('/')), 'utf8');
}

export function write(dir: string, file: string, text: string): void {
  writeFileSync(path.join(dir, ...file.split('/')), text);
}

/** Edits a file in place; throws when `from` is not in it, so a test cannot silently edit nothing. */
export function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const text = read(dir, file);
  const replaced = text.replace(from, to);
  if (replaced === text) throw new Error(`${file} does not contain ${String(from)}`);
  write(dir, file, replaced);
}
