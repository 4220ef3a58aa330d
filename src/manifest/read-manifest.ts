import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode, UserError } from '../errors.ts';
import { MANIFEST_FILE, MANIFEST_FORMAT, type ProjectManifest } from './manifest.ts';

/** The nearest directory at or above `start` that holds a project manifest. */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, MANIFEST_FILE))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function validOwned(owned: unknown): boolean {
  if (typeof owned !== 'object' || owned === null || Array.isArray(owned)) return false;
  const lines = (value: unknown): boolean => Array.isArray(value) && value.every((line) => typeof line === 'string');
  return Object.values(owned).every((record: unknown) => {
    if (typeof record !== 'object' || record === null) return false;
    const { file, changes } = record as { file?: unknown; changes?: unknown };
    if (file !== undefined && file !== true) return false;
    if (changes === undefined) return true;
    return (
      Array.isArray(changes) &&
      changes.every(
        (change: unknown) =>
          typeof change === 'object' &&
          change !== null &&
          ((change as { anchor?: unknown }).anchor === null || typeof (change as { anchor?: unknown }).anchor === 'string') &&
          lines((change as { removed?: unknown }).removed) &&
          lines((change as { added?: unknown }).added),
      )
    );
  });
}

/** Reads and shape-checks a project's manifest; a damaged one is a clear error, not a crash. */
export function readManifest(projectRoot: string): ProjectManifest {
  const file = path.join(projectRoot, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`Cannot read the project manifest ${file}: ${(error as Error).message}`, ExitCode.failed);
  }
  const manifest = data as Partial<ProjectManifest>;
  const problems: string[] = [];
  if (manifest.format !== MANIFEST_FORMAT) problems.push(`format must be ${MANIFEST_FORMAT}`);
  if (typeof manifest.generator?.version !== 'string') problems.push('generator.version is missing');
  if (!Array.isArray(manifest.answers?.milestones)) problems.push('answers.milestones is missing');
  if (typeof manifest.answers?.name !== 'string') problems.push('answers.name is missing');
  if (typeof manifest.files !== 'object' || manifest.files === null) problems.push('files is missing');
  if (typeof manifest.pristine !== 'string') problems.push('pristine is missing');
  if (manifest.generated !== undefined) {
    const records = Array.isArray(manifest.generated) ? manifest.generated : [];
    const valid = records.every(
      (record) =>
        typeof record === 'object' &&
        record !== null &&
        typeof record.version === 'string' &&
        Array.isArray(record.files) &&
        Array.isArray(record.insertions),
    );
    if (!Array.isArray(manifest.generated) || !valid) problems.push('generated must be a list of generator runs (version, files, insertions)');
  }
  if (manifest.owned !== undefined && !validOwned(manifest.owned)) {
    problems.push('owned must map file paths to { file: true } or { changes: [{ anchor, removed, added }] }');
  }
  if (problems.length > 0) {
    throw new UserError(`The project manifest ${file} is damaged.`, ExitCode.failed, problems);
  }
  return manifest as ProjectManifest;
}
