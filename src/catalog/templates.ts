import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { TEMPLATES_DIR, TEMPLATES_PACK } from '../paths.ts';

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

const byPath = (a: TemplateFile, b: TemplateFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** One entry of the build's pack of templates/ (scripts/precompile.mjs, templatesPack). */
interface PackedFile {
  readonly path: string;
  readonly text?: string;
  readonly base64?: string;
  readonly executable: boolean;
}

const packs = new Map<string, readonly TemplateFile[]>();

/** Every file of the pack, read once per process. */
function readPack(packFile: string): readonly TemplateFile[] {
  let files = packs.get(packFile);
  if (files === undefined) {
    files = (JSON.parse(gunzipSync(readFileSync(packFile)).toString('utf8')) as PackedFile[]).map((file) => ({
      path: file.path,
      content: file.text === undefined ? Buffer.from(file.base64 ?? '', 'base64') : Buffer.from(file.text, 'utf8'),
      executable: file.executable,
    }));
    packs.set(packFile, files);
  }
  return files;
}

/** The files of one folder of the pack, with paths relative to that folder. */
function packedFolder(packFile: string, dir: string): TemplateFile[] {
  const prefix = `${dir}/`;
  const files = readPack(packFile)
    .filter((file) => file.path.startsWith(prefix))
    .map((file) => ({ ...file, path: file.path.slice(prefix.length) }))
    .sort(byPath);
  if (files.length === 0) throw new Error(`Template folder "${dir}" is not in the package's templates (${packFile}).`);
  return files;
}

/**
 * Where templates come from: the templates/ folder when there is one (a
 * source checkout, where edits show at once), else the pack the build wrote
 * (the published package ships the templates once, compressed).
 */
function usePack(templatesDir: string, packFile: string): boolean {
  return !existsSync(templatesDir) && existsSync(packFile);
}

/** A template folder's name: lowercase words joined by `-` and `/` ("api/fastapi"), never a path that could leave templates/. */
const TEMPLATE_DIR = /^[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)*$/;

/**
 * Reads the given template folders (and only those) from disk. A folder name
 * comes from a feature and an option value; option values are validated
 * against the catalog long before this, and this refuses anything else
 * anyway, so no value can ever make a folder outside templates/ a template.
 */
export function loadTemplateTree(dirs: Iterable<string>, templatesDir = TEMPLATES_DIR, packFile = TEMPLATES_PACK): TemplateTree {
  const tree = new Map<string, TemplateFile[]>();
  const packed = usePack(templatesDir, packFile);
  for (const dir of new Set(dirs)) {
    if (!TEMPLATE_DIR.test(dir)) throw new Error(`"${dir}" is not a template folder name.`);
    if (packed) {
      tree.set(dir, packedFolder(packFile, dir));
      continue;
    }
    const files: TemplateFile[] = [];
    const root = path.join(templatesDir, dir);
    try {
      walk(root, '', files);
    } catch (error) {
      throw new Error(`Template folder "${dir}" cannot be read (${root}): ${(error as Error).message}`);
    }
    files.sort(byPath);
    tree.set(dir, files);
  }
  return tree;
}
