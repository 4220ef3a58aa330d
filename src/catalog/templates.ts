import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TEMPLATES_DIR } from '../paths.ts';

/** One file of a template folder, read into memory so planning stays pure. */
export interface TemplateFile {
  /** Path inside its template folder, with forward slashes ("src/__package__/__init__.py.hbs"). */
  readonly path: string;
  readonly content: Buffer;
  readonly executable: boolean;
}

/** Template folder (relative to templates/, e.g. "base") → its files, sorted by path. */
export type TemplateTree = ReadonlyMap<string, readonly TemplateFile[]>;

function walk(root: string, relative: string, out: TemplateFile[]): void {
  const entries = readdirSync(path.join(root, relative), { withFileTypes: true });
  for (const entry of entries) {
    const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      walk(root, entryPath, out);
    } else if (entry.isFile()) {
      const absolute = path.join(root, entryPath);
      out.push({
        path: entryPath,
        content: readFileSync(absolute),
        executable: (statSync(absolute).mode & 0o111) !== 0,
      });
    }
  }
}

/** A template folder's name: lowercase words joined by `-` and `/` ("api/fastapi"), never a path that could leave templates/. */
const TEMPLATE_DIR = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/**
 * Reads the given template folders (and only those) from disk. A folder name
 * comes from a feature and an option value; option values are validated
 * against the catalog long before this, and this refuses anything else
 * anyway, so no value can ever make a folder outside templates/ a template.
 */
export function loadTemplateTree(dirs: Iterable<string>, templatesDir = TEMPLATES_DIR): TemplateTree {
  const tree = new Map<string, TemplateFile[]>();
  for (const dir of new Set(dirs)) {
    if (!TEMPLATE_DIR.test(dir)) throw new Error(`"${dir}" is not a template folder name.`);
    const files: TemplateFile[] = [];
    const root = path.join(templatesDir, dir);
    try {
      walk(root, '', files);
    } catch (error) {
      throw new Error(`Template folder "${dir}" cannot be read (${root}): ${(error as Error).message}`);
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    tree.set(dir, files);
  }
  return tree;
}
