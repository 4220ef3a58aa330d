import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject } from 'ajv';
import { ExitCode, UserError, usageError } from '../errors.ts';
import { PACKAGE_NAME, generatorVersion } from '../paths.ts';
import { pathProblem, showPath } from '../project/project-paths.ts';
import { MANIFEST_FILE, type ProjectManifest } from './manifest.ts';
import { validateManifestSchema } from './manifest-validator.ts';

/** The largest manifest read at all: a hundred times the largest project's. */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/** Journal folders a killed run leaves at the project root (src/apply/update-journal.ts). */
const JOURNAL_PREFIX = '.cprp-update-';

/**
 * The nearest directory at or above `start` that holds a project manifest,
 * or a killed run's journal (which may hold the manifest it had moved aside).
 */
export function findProjectRoot(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, MANIFEST_FILE)) || hasJournal(dir)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function hasJournal(dir: string): boolean {
  try {
    return readdirSync(dir).some((entry) => entry.startsWith(JOURNAL_PREFIX) && existsSync(path.join(dir, entry, 'journal.json')));
  } catch {
    return false;
  }
}

/** Compares dotted versions numerically ("0.10.0" > "0.9.1"); a pre-release tag is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (value: string): number[] => value.split('-')[0]!.split('.').map((part) => Number(part) || 0);
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** A manifest that is not what this tool writes: exit 2 (bad input), every problem listed, nothing planned. */
export class ManifestError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`The project's manifest is damaged or was edited: ${file}`, ExitCode.usage, [
      ...problems,
      `Nothing was changed. If you did not edit it, restore it from git (git checkout -- ${MANIFEST_FILE}).`,
    ]);
  }
}

function valueAt(data: unknown, pointer: string): unknown {
  let current = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function shown(value: unknown): string {
  if (typeof value === 'string') return `"${showPath(value.length > 80 ? `${value.slice(0, 80)}…` : value)}"`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}

function describeSchemaError(error: ErrorObject, data: unknown): string {
  const params = error.params as Record<string, unknown>;
  // The place is made of the manifest's own keys: untrusted, so its invisible characters are spelled out too.
  const where = showPath((error.instancePath || '/').replaceAll('~1', '/').replaceAll('~0', '~'));
  const value = valueAt(data, error.instancePath);
  switch (error.keyword) {
    case 'required':
      return `${where}: the required property "${String(params['missingProperty'])}" is missing`;
    case 'additionalProperties':
      return `${where}: unknown property "${showPath(String(params['additionalProperty']))}"`;
    case 'enum':
      return `${where}: ${shown(value)} must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
    case 'const':
      return `${where}: ${shown(value)} must be ${JSON.stringify(params['allowedValue'])}`;
    case 'pattern':
      return `${where}: ${shown(value)} is not valid here${where.endsWith('/version') ? ' (a version like 1.2.3)' : ''}`;
    case 'propertyNames':
      return `${where}: the name ${shown(params['propertyName'])} is not valid here`;
    case 'minItems':
      return `${where}: must hold at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`;
    default:
      return `${where}: ${shown(value)} ${error.message ?? 'is invalid'}`;
  }
}

/** Every path field the manifest holds, with where it is: the paths the tool will read, write or delete. */
export function manifestPaths(manifest: ProjectManifest): { readonly field: string; readonly value: string }[] {
  const paths: { field: string; value: string }[] = Object.keys(manifest.files).map((value) => ({ field: 'files', value }));
  (manifest.generated ?? []).forEach((record, index) => {
    record.files.forEach((value, item) => paths.push({ field: `generated[${index}].files[${item}]`, value }));
    record.insertions.forEach((insertion, item) => paths.push({ field: `generated[${index}].insertions[${item}].path`, value: insertion.path }));
  });
  // Files the user took as theirs (`owned`, written by the `own` command): keyed by path too.
  const owned = (manifest as { readonly owned?: Readonly<Record<string, unknown>> }).owned;
  for (const value of Object.keys(owned ?? {})) paths.push({ field: 'owned', value });
  return paths;
}

/**
 * Reads a project's manifest as the untrusted input it is: bounded in size,
 * JSON, valid against schema/manifest.schema.json, and every path in it a
 * plain project-relative one (src/project/project-paths.ts). Anything else is
 * a ManifestError (exit 2) listing every problem; a manifest written by a newer
 * generator is a usage error naming the version to use.
 */
export function readManifest(projectRoot: string): ProjectManifest {
  const file = path.join(projectRoot, MANIFEST_FILE);
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > MAX_MANIFEST_BYTES) throw new ManifestError(file, [`it is ${size} bytes; a manifest is never larger than ${MAX_MANIFEST_BYTES}`]);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot read the project manifest ${file}: ${(error as Error).message}`, ExitCode.failed);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(file, [`it is not valid JSON: ${(error as Error).message}`]);
  }
  const recorded = (data as { generator?: { version?: unknown } } | null)?.generator?.version;
  const version = generatorVersion();
  if (typeof recorded === 'string' && /^\d+\.\d+\.\d+/.test(recorded) && compareVersions(recorded, version) > 0) {
    throw usageError(`This project was last generated by ${PACKAGE_NAME} ${recorded}; this is ${version}.`, [
      `Use that version or a newer one: npx ${PACKAGE_NAME}@${recorded} ...`,
    ]);
  }
  const schemaProblems = validateManifestSchema(data)
    ? []
    : (validateManifestSchema.errors ?? []).map((error) => describeSchemaError(error, data));
  const problems = [...schemaProblems, ...pathProblems(data)];
  if (problems.length > 0) throw new ManifestError(file, problems);
  return data as ProjectManifest;
}

/** The spelling problems of every path the manifest holds, read defensively (the schema may have failed too). */
function pathProblems(data: unknown): string[] {
  const record = data as { files?: unknown; generated?: unknown; owned?: unknown } | null;
  const keys = (value: unknown): string[] => (typeof value === 'object' && value !== null ? Object.keys(value) : []);
  const files = keys(record?.files);
  const generated = Array.isArray(record?.generated) ? (record.generated as unknown[]) : [];
  const paths = [
    ...files.map((value) => ({ field: 'files', value })),
    ...keys(record?.owned).map((value) => ({ field: 'owned', value })),
    ...generated.flatMap((item, index) => {
      const run = item as { files?: unknown; insertions?: unknown } | null;
      const created = Array.isArray(run?.files) ? (run.files as unknown[]) : [];
      const insertions = Array.isArray(run?.insertions) ? (run.insertions as unknown[]) : [];
      return [
        ...created.map((value, at) => ({ field: `generated[${index}].files[${at}]`, value })),
        ...insertions.map((insertion, at) => ({ field: `generated[${index}].insertions[${at}].path`, value: (insertion as { path?: unknown } | null)?.path })),
      ];
    }),
  ];
  return paths.flatMap(({ field, value }) => {
    if (typeof value !== 'string') return [];
    const problem = pathProblem(value);
    return problem === undefined ? [] : [`${MANIFEST_FILE} ${field} holds "${showPath(value)}", which ${problem}`];
  });
}
