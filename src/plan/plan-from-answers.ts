import type { Catalog } from '../catalog/catalog.ts';
import { assertFrameworkSupports } from '../catalog/frameworks.ts';
import { loadTemplateTree } from '../catalog/templates.ts';
import { ExitCode, UserError } from '../errors.ts';
import { replayInsertions } from '../generators/markers.ts';
import { MANIFEST_FILE, buildManifest, serializeManifest, type GeneratedRecord, type OwnedFile, type PreviousPristine } from '../manifest/manifest.ts';
import type { BaseFile } from '../merge/merge-project.ts';
import { PACKAGE_NAME, generatorVersion } from '../paths.ts';
import { planProject, templateDirsFor, type PlannedFile, type ProjectPlan } from './plan-project.ts';
import type { ProjectAnswers } from '../render/context.ts';
import type { FileToWrite } from '../apply/write-new-project.ts';

export interface PlannedProject {
  readonly plan: ProjectPlan;
  /** The plan's files plus the manifest, ready to write. */
  readonly files: readonly FileToWrite[];
}

/** What micro-generators added to an existing project, carried into every later render. */
export interface GeneratedSoFar {
  readonly records: readonly GeneratedRecord[];
  /** The manifest's pristine copies: the generated files' content is taken from here. */
  readonly base: ReadonlyMap<string, BaseFile>;
  /** The manifest's encoded pristine blob and what it decodes to: kept as is when nothing in it changes. */
  readonly pristine?: PreviousPristine;
  /** What the user took as theirs (`own`): carried into the new manifest. */
  readonly owned?: Readonly<Record<string, OwnedFile>>;
}

/**
 * The plan with the micro-generators' insertions replayed on the template
 * files they touched (a router import in routes.py...), so `update` and
 * `check` compare against "template + generated lines", never flag those
 * lines, and never drop them.
 */
function withInsertions(plan: ProjectPlan, records: readonly GeneratedRecord[]): ProjectPlan {
  const insertions = records.flatMap((record) => record.insertions);
  if (insertions.length === 0) return plan;
  const touched = new Set(insertions.map((insertion) => insertion.path));
  const texts = new Map(plan.files.filter((file) => touched.has(file.path)).map((file) => [file.path, file.content.toString('utf8')]));
  const { files, failures } = replayInsertions(texts, insertions);
  if (failures.length > 0) {
    throw new UserError(
      `${PACKAGE_NAME} ${generatorVersion()} cannot place the lines that \`generate\` added to this project's template files.`,
      ExitCode.failed,
      [...failures, 'Nothing was changed. Please report this: the templates lost a marker line the generators rely on.'],
    );
  }
  return {
    ...plan,
    files: plan.files.map((file): PlannedFile => {
      const replayed = files.get(file.path);
      return replayed === undefined ? file : { ...file, content: Buffer.from(replayed, 'utf8') };
    }),
  };
}

/** Loads exactly the template folders the answers need, then plans (purely); no manifest (`check` needs none). */
export function renderFromAnswers(catalog: Catalog, answers: ProjectAnswers, generated?: GeneratedSoFar): ProjectPlan {
  const features = catalog.featuresFor(answers.milestones, answers.extraFeatures);
  assertFrameworkSupports(features, answers.options);
  const templates = loadTemplateTree(templateDirsFor(features, answers.options));
  return withInsertions(planProject({ catalog, answers, templates, features, generatorVersion: generatorVersion() }), generated?.records ?? []);
}

/** renderFromAnswers, plus the manifest that records it, ready to write. */
export function planFromAnswers(catalog: Catalog, answers: ProjectAnswers, generated?: GeneratedSoFar): PlannedProject {
  const version = generatorVersion();
  const records = generated?.records ?? [];
  const plan = renderFromAnswers(catalog, answers, generated);
  // Files a generator created are the user's (policy once): their recorded
  // content stays the manifest's, so they are neither foreign nor re-rendered.
  const extraFiles = records.flatMap((record) =>
    record.files.flatMap((path) => {
      const base = generated?.base.get(path);
      return base ? [{ path, content: base.content, policy: 'once' as const, executable: false, feature: `generate:${record.generator}`, source: `generate:${record.generator}` }] : [];
    }),
  );
  const manifest = buildManifest({
    plan,
    answers,
    generatorName: PACKAGE_NAME,
    generatorVersion: version,
    extraFiles,
    generated: records,
    ...(generated?.pristine ? { previousPristine: generated.pristine } : {}),
    ...(generated?.owned ? { owned: generated.owned } : {}),
  });
  return {
    plan,
    files: [
      ...plan.files,
      { path: MANIFEST_FILE, content: serializeManifest(manifest), executable: false },
    ],
  };
}
