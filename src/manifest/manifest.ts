import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FeatureId, OptionValues } from '../catalog/features/index.ts';
import type { GeneratorId } from '../generators/ids.ts';
import type { Insertion } from '../generators/markers.ts';
import type { AcceptedChange } from '../merge/drift-hunks.ts';
import type { FilePolicy, PlannedFile, ProjectPlan } from '../plan/plan-project.ts';
import type { ProjectAnswers } from '../render/context.ts';

/** The manifest's file name at the root of every generated project. */
export const MANIFEST_FILE = '.roadmap-project.json';
export const MANIFEST_FORMAT = 1;

export interface ManifestFileEntry {
  /** SHA-256 of the content as generated: a file on disk with another hash was edited. */
  readonly sha256: string;
  readonly policy: FilePolicy;
  /** The feature (or micro-generator, "generate:resource") that produced the file. */
  readonly source: string;
  readonly binary?: true;
  readonly executable?: true;
}

/**
 * What one run of a micro-generator (`generate resource`, `generate task`)
 * added to the project. `files` are the user's from then on (policy `once`);
 * `insertions` are replayed on every later render of the template files they
 * touch, so `update` keeps them and `check` does not call them drift.
 */
export interface GeneratedRecord {
  readonly generator: GeneratorId;
  readonly name: string;
  /** The generator version that ran. */
  readonly version: string;
  /** The command that produced it, with every answer as a flag (for people reading the manifest). */
  readonly command: string;
  readonly files: readonly string[];
  readonly insertions: readonly Insertion[];
  /** `generate resource`: the model, so a later resource can refer to it (`ref(Invoice)`). */
  readonly resource?: {
    readonly model: string;
    /** Relative to the package: `invoices.models`. */
    readonly module: string;
    readonly table: string;
    /** Under /api/v1: `/invoices`. */
    readonly collection: string;
    /** The field list, in `--fields` syntax. */
    readonly fields: string;
    /** Every row belongs to the user who created it (a project with auth, without `--public`). */
    readonly owned?: boolean;
  };
  /** `generate task`: what was generated, for readers. */
  readonly task?: Readonly<Record<string, string | boolean>>;
}

/**
 * What the user took as theirs in a template-owned file (`own`): the whole
 * file, or some changes to its generated lines. `check` does not call them
 * drift; `update` merges the file as always, so template changes still arrive.
 */
export interface OwnedFile {
  /** The whole file: `check` looks at it only for unresolved conflict markers. */
  readonly file?: true;
  /** Changes accepted one by one, found again by content. */
  readonly changes?: readonly AcceptedChange[];
}

/**
 * The project manifest: everything a later `add`, `update` or
 * `check` needs to know what was generated, without running old template code.
 */
export interface ProjectManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly generator: { readonly name: string; readonly version: string };
  readonly answers: {
    readonly name: string;
    readonly milestones: readonly string[];
    readonly extraFeatures: readonly FeatureId[];
    readonly options: OptionValues;
  };
  /** The resolved feature set, for `list` and for readers of the file. */
  readonly features: readonly FeatureId[];
  readonly files: Readonly<Record<string, ManifestFileEntry>>;
  /** Micro-generator runs, oldest first; absent when there were none. */
  readonly generated?: readonly GeneratedRecord[];
  /** Template-owned files (or changes in them) the user took as theirs with `own`; absent when none. */
  readonly owned?: Readonly<Record<string, OwnedFile>>;
  /**
   * The generated content of every file (the merge base of the next update),
   * as gzip-compressed JSON in base64: one compressed blob is a fraction of the
   * size of the files, keeps the manifest a single file, and needs no git.
   */
  readonly pristine: string;
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Text is what can be merged line by line: valid UTF-8 without NUL bytes. */
export function isBinary(content: Buffer): boolean {
  return content.includes(0) || !isUtf8(content);
}

type PristineEntry = string | { readonly base64: string };

export function encodePristine(files: readonly { path: string; content: Buffer }[]): string {
  const map: Record<string, PristineEntry> = {};
  for (const file of files) {
    map[file.path] = isBinary(file.content) ? { base64: file.content.toString('base64') } : file.content.toString('utf8');
  }
  // Level 4: for the largest project (440 KB of files) 130 KB in 7 ms, where level 9
  // took 24 ms for 124 KB; compressing is on the path of every create and update.
  return gzipSync(JSON.stringify(map), { level: 4 }).toString('base64');
}

/** A manifest's pristine blob as found on disk, and what it decodes to. */
export interface PreviousPristine {
  readonly encoded: string;
  readonly files: ReadonlyMap<string, Buffer>;
}

/** The previous blob when it holds exactly these files with exactly this content, so it need not be compressed again. */
function reusablePristine(files: readonly { path: string; content: Buffer }[], previous: PreviousPristine | undefined): string | undefined {
  if (!previous || previous.files.size !== files.length) return undefined;
  return files.every((file) => previous.files.get(file.path)?.equals(file.content) === true) ? previous.encoded : undefined;
}

/**
 * The most a pristine blob may inflate to: 64 MiB, over a hundred times the
 * largest project's files. zlib stops at the limit, so a blob crafted to
 * inflate to gigabytes (a gzip bomb) costs no more than this.
 */
export const MAX_PRISTINE_BYTES = 64 * 1024 * 1024;

/** The pristine blob cannot be read: not base64 gzip, larger than the limit, or not the expected JSON. */
export class PristineError extends Error {
  override readonly name = 'PristineError';
}

export function decodePristine(pristine: string, maxBytes = MAX_PRISTINE_BYTES): Map<string, Buffer> {
  let inflated: Buffer;
  try {
    inflated = gunzipSync(Buffer.from(pristine, 'base64'), { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new PristineError(`it inflates to more than ${maxBytes / 1024 / 1024} MiB`);
    }
    throw new PristineError(`it is not gzip-compressed data (${(error as Error).message})`);
  }
  let map: unknown;
  try {
    map = JSON.parse(inflated.toString('utf8'));
  } catch (error) {
    throw new PristineError(`it does not hold JSON (${(error as Error).message})`);
  }
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw new PristineError('it does not hold a JSON object');
  const files = new Map<string, Buffer>();
  for (const [path, entry] of Object.entries(map as Record<string, unknown>)) {
    if (typeof entry === 'string') files.set(path, Buffer.from(entry, 'utf8'));
    else if (typeof entry === 'object' && entry !== null && typeof (entry as { base64?: unknown }).base64 === 'string') {
      files.set(path, Buffer.from((entry as { base64: string }).base64, 'base64'));
    } else throw new PristineError(`its entry for ${JSON.stringify(path)} is neither text nor {"base64": ...}`);
  }
  return files;
}

export function buildManifest(input: {
  readonly plan: ProjectPlan;
  readonly answers: ProjectAnswers;
  readonly generatorName: string;
  readonly generatorVersion: string;
  /** Files produced outside the plan (micro-generators) that the manifest should also own. */
  readonly extraFiles?: readonly (PlannedFile & { readonly source: string })[];
  readonly generated?: readonly GeneratedRecord[];
  /** The project's current pristine blob, kept when the new one would hold the same files. */
  readonly previousPristine?: PreviousPristine;
  /** What the user owns (`own`), carried over for the files still generated. */
  readonly owned?: Readonly<Record<string, OwnedFile>>;
}): ProjectManifest {
  const all = [
    ...input.plan.files.map((file) => ({ ...file, source: file.feature })),
    ...(input.extraFiles ?? []),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const files: Record<string, ManifestFileEntry> = {};
  for (const file of all) {
    files[file.path] = {
      sha256: sha256(file.content),
      policy: file.policy,
      source: file.source,
      ...(isBinary(file.content) ? { binary: true as const } : {}),
      ...(file.executable ? { executable: true as const } : {}),
    };
  }
  return {
    format: MANIFEST_FORMAT,
    generator: { name: input.generatorName, version: input.generatorVersion },
    answers: {
      name: input.answers.name,
      milestones: [...input.answers.milestones],
      extraFeatures: [...(input.answers.extraFeatures ?? [])],
      options: { ...input.answers.options },
    },
    features: input.plan.features.map((feature) => feature.id),
    files,
    ...(input.generated && input.generated.length > 0 ? { generated: [...input.generated] } : {}),
    ...ownedEntry(input.owned, (path) => files[path]?.policy === 'merge'),
    pristine: reusablePristine(all, input.previousPristine) ?? encodePristine(all),
  };
}

/** The `owned` field: the records of files `keep` says still apply, sorted by path; nothing when none. */
export function ownedEntry(
  owned: Readonly<Record<string, OwnedFile>> | undefined,
  keep: (path: string) => boolean,
): { owned?: Readonly<Record<string, OwnedFile>> } {
  const entries = Object.entries(owned ?? {})
    .filter(([path, record]) => keep(path) && (record.file === true || (record.changes?.length ?? 0) > 0))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length > 0 ? { owned: Object.fromEntries(entries) } : {};
}

/**
 * The manifest after a micro-generator ran: its new files join (policy
 * `once`, source `generate:<kind>`), the files it inserted lines into get their
 * new pristine content and hash, and the run is recorded. Nothing else moves:
 * the other files' pristine copies stay what the recorded generator version
 * wrote, so the next `update` still merges from the truth.
 */
export function recordGenerated(
  manifest: ProjectManifest,
  input: {
    readonly record: GeneratedRecord;
    readonly created: readonly { readonly path: string; readonly content: Buffer }[];
    readonly modified: readonly { readonly path: string; readonly pristine: Buffer }[];
  },
): ProjectManifest {
  const pristine = decodePristine(manifest.pristine);
  const files: Record<string, ManifestFileEntry> = { ...manifest.files };
  for (const file of input.created) {
    pristine.set(file.path, file.content);
    files[file.path] = { sha256: sha256(file.content), policy: 'once', source: `generate:${input.record.generator}` };
  }
  for (const file of input.modified) {
    const entry = files[file.path];
    if (!entry) throw new Error(`${file.path} is not in the manifest`);
    pristine.set(file.path, file.pristine);
    files[file.path] = { ...entry, sha256: sha256(file.pristine) };
  }
  const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return {
    format: manifest.format,
    generator: manifest.generator,
    answers: manifest.answers,
    features: manifest.features,
    files: sorted,
    generated: [...(manifest.generated ?? []), input.record],
    ...ownedEntry(manifest.owned, (path) => sorted[path]?.policy === 'merge'),
    pristine: encodePristine([...pristine].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, content]) => ({ path, content }))),
  };
}

export function serializeManifest(manifest: ProjectManifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}
