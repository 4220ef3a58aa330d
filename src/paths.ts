import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package root. This file sits one folder below it both as source
 * (src/paths.ts) and once bundled (dist/cli.js), so one relative URL serves both.
 */
export const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const TEMPLATES_DIR = path.join(PACKAGE_ROOT, 'templates');
export const ROADMAP_PATH = path.join(PACKAGE_ROOT, 'roadmap.json');
export const ROADMAP_SCHEMA_PATH = path.join(PACKAGE_ROOT, 'schema', 'roadmap.schema.json');

export const PACKAGE_NAME = 'create-python-roadmap-project';

let cachedVersion: string | undefined;

/** The generator's own version, recorded in every manifest it writes. */
export function generatorVersion(): string {
  cachedVersion ??= (
    JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return cachedVersion;
}
