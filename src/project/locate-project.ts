import path from 'node:path';
import type { Catalog } from '../catalog/catalog.ts';
import { PLANNED_FEATURES, type FeatureId } from '../catalog/features/index.ts';
import { UserError, usageError } from '../errors.ts';
import { MANIFEST_FILE, PristineError, decodePristine, type ProjectManifest } from '../manifest/manifest.ts';
import { ManifestError, compareVersions, findProjectRoot, manifestPaths, readManifest } from '../manifest/read-manifest.ts';
import type { BaseFile } from '../merge/merge-project.ts';
import { PACKAGE_NAME, generatorVersion } from '../paths.ts';
import { resolveProjectPath } from './project-paths.ts';
import type { ProjectAnswers } from '../render/context.ts';
import { buildProjectNames } from '../render/project-names.ts';

export { compareVersions } from '../manifest/read-manifest.ts';

export interface LocatedProject {
  readonly root: string;
  readonly manifest: ProjectManifest;
  readonly answers: ProjectAnswers;
  /** What the last generation wrote: the merge base of every file. */
  readonly base: ReadonlyMap<string, BaseFile>;
  /** The manifest's pristine blob, decoded. */
  readonly pristine: ReadonlyMap<string, Buffer>;
}

/** The root of the generated project at or above `dir` (default: the working directory), or exit 2. */
export function locateProjectRoot(cwd: string, dir: string | undefined): string {
  const start = path.resolve(cwd, dir ?? '.');
  const root = findProjectRoot(start);
  if (!root) {
    throw usageError(`No ${MANIFEST_FILE} in ${start} or any folder above it.`, [
      `Run this inside a project made by ${PACKAGE_NAME}, or pass --dir PROJECT.`,
    ]);
  }
  return root;
}

/** What the manifest's answers say that this catalog cannot honour, as manifest problems. */
function answerProblems(manifest: ProjectManifest, catalog: Catalog): string[] {
  const problems: string[] = [];
  for (const [id, value] of Object.entries(manifest.answers.options)) {
    const option = catalog.option(id);
    if (!option) problems.push(`/answers/options: unknown option "${id}" (options: ${catalog.options.map((item) => item.id).join(', ')})`);
    else if (option.text) {
      if (!new RegExp(option.text.pattern, 'u').test(value)) problems.push(`/answers/options/${id}: "${value}" is not like ${option.text.example}`);
    } else if (!option.choices.some((choice) => choice.value === value)) {
      problems.push(`/answers/options/${id}: "${value}" is not one of: ${option.choices.map((choice) => choice.value).join(', ')}`);
    }
  }
  try {
    buildProjectNames(manifest.answers.name);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push(`/answers/name: ${error.message}`);
  }
  return problems;
}

/**
 * Reads what the project at `root` recorded, as the untrusted input it is
 * (src/manifest/read-manifest.ts checks the schema and the spelling of every
 * path), then what only this version knows: milestones, features and option
 * values it can generate, a name it accepts, pristine copies that decode
 * (bounded) and cover every file, and every recorded path inside the project
 * once symlinks are resolved. A manifest written by a newer generator, or
 * naming a milestone this version cannot generate, is refused with the
 * version to use.
 */
export function loadProject(root: string, catalog: Catalog): LocatedProject {
  const file = path.join(root, MANIFEST_FILE);
  const manifest = readManifest(root);
  const version = generatorVersion();
  const newerGenerate = (manifest.generated ?? []).find((record) => compareVersions(record.version, version) > 0);
  if (newerGenerate) {
    throw usageError(`\`generate ${newerGenerate.generator} ${newerGenerate.name}\` was run on this project by ${PACKAGE_NAME} ${newerGenerate.version}; this is ${version}.`, [
      `Use that version or a newer one: npx ${PACKAGE_NAME}@${newerGenerate.version} ...`,
    ]);
  }
  for (const id of manifest.answers.milestones) {
    const milestone = catalog.milestone(id);
    if (!milestone || !catalog.isAvailable(milestone)) {
      throw usageError(`The project records the milestone "${id}", which ${PACKAGE_NAME} ${version} cannot generate.`, [
        `Use the version that generated it: npx ${PACKAGE_NAME}@${manifest.generator.version} ...`,
      ]);
    }
  }
  const extraFeatures = manifest.answers.extraFeatures ?? [];
  for (const id of extraFeatures) {
    if (PLANNED_FEATURES.has(id)) {
      throw usageError(`The project records the feature "${id}", which ${PACKAGE_NAME} ${version} cannot generate.`);
    }
  }
  const problems = answerProblems(manifest, catalog);
  if (problems.length > 0) throw new ManifestError(file, problems);
  let pristine: Map<string, Buffer>;
  try {
    pristine = decodePristine(manifest.pristine);
  } catch (error) {
    if (!(error instanceof PristineError)) throw error;
    throw new ManifestError(file, [`/pristine cannot be used: ${error.message}`]);
  }
  const base = new Map<string, BaseFile>();
  for (const [relative, entry] of Object.entries(manifest.files)) {
    const content = pristine.get(relative);
    if (!content) throw new ManifestError(file, [`/pristine has no copy of ${relative}, which /files lists`]);
    base.set(relative, { content, policy: entry.policy });
  }
  for (const { field, value } of manifestPaths(manifest)) {
    resolveProjectPath(root, value, { kind: 'manifest', file: MANIFEST_FILE, field });
  }
  return {
    root,
    manifest,
    answers: {
      name: manifest.answers.name,
      milestones: [...manifest.answers.milestones],
      extraFeatures: [...extraFeatures] as FeatureId[],
      options: { ...manifest.answers.options },
    },
    base,
    pristine,
  };
}

/** The project at or above `dir`, loaded: for commands that neither lock nor recover (`list`-like readers). */
export function locateProject(cwd: string, dir: string | undefined, catalog: Catalog): LocatedProject {
  return loadProject(locateProjectRoot(cwd, dir), catalog);
}
