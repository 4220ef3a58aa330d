import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Every file under `root`, relative path (with /) → UTF-8 content, leaving out the entries `skip` names, at any depth. */
function filesUnder(root: string, skip: (name: string) => boolean): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      if (skip(entry.name)) continue;
      const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(entryPath);
      else if (entry.isFile()) files.set(entryPath, readFileSync(path.join(root, entryPath), 'utf8'));
    }
  };
  walk('');
  return files;
}

/** Every file of a generated project, relative path → content, without uv's and Python's by-products. */
export function readTree(root: string): Map<string, string> {
  return filesUnder(root, (name) => ['.venv', '__pycache__', 'uv.lock'].includes(name));
}

/**
 * The project's own files (not the virtualenv or the tools' caches), path → content;
 * `alsoSkip` names more entries a project's runs leave behind.
 */
export function projectFiles(root: string, alsoSkip: readonly string[] = []): Map<string, string> {
  const skipped = ['.venv', '__pycache__', '.mypy_cache', '.pytest_cache', '.ruff_cache', ...alsoSkip];
  return filesUnder(root, (name) => skipped.includes(name) || name.startsWith('.coverage'));
}

/**
 * Every path under `root`, directories included (with a trailing /), sorted, without
 * the virtualenv: what `make clean` must bring a project back to.
 */
export function projectTree(root: string): string[] {
  const paths: string[] = [];
  const walk = (relative: string): void => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entryPath === '.venv') continue;
      if (entry.isDirectory()) {
        paths.push(`${entryPath}/`);
        walk(entryPath);
      } else {
        paths.push(entryPath);
      }
    }
  };
  walk('');
  return paths.sort();
}
