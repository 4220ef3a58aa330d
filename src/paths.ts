import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package root: the nearest folder above this module with the package's
 * roadmap.json. This module is src/paths.ts in the source, and once bundled it
 * may be dist/cli.js or a shared chunk in dist/chunks/, so the depth varies.
 */
export const PACKAGE_ROOT = ((): string => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'roadmap.json')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(here);
  }
})();
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
/** The build's pack of templates/ (scripts/precompile.mjs): the published package has this, not the folder. */
export const TEMPLATES_PACK = path.join(PACKAGE_ROOT, 'dist', 'templates.json.gz');
/** The build's pack of precompiled templates (scripts/precompile.mjs), read by the bundle only. */
export const TEMPLATE_SPECS_PACK = path.join(PACKAGE_ROOT, 'dist', 'template-specs.json.gz');
export const ROADMAP_PATH = path.join(PACKAGE_ROOT, 'roadmap.json');
export const ROADMAP_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schema', 'roadmap.schema.json');
export const MANIFEST_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schema', 'manifest.schema.json');

export const PACKAGE_NAME = 'create-python-roadmap-project';

let cachedVersion: string | undefined;

/** The generator's own version, recorded in every manifest it writes. */
export function generatorVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
