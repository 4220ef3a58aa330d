import type { Catalog } from '../catalog/catalog.ts';
import { loadTemplateTree } from '../catalog/templates.ts';
import { MANIFEST_FILE, buildManifest, serializeManifest } from '../manifest/manifest.ts';
import { PACKAGE_NAME, generatorVersion } from '../paths.ts';
import { planProject, templateDirsFor, type ProjectPlan } from '../plan/plan-project.ts';
import type { ProjectAnswers } from '../render/context.ts';
import type { FileToWrite } from '../apply/write-new-project.ts';

export interface PlannedProject {
  readonly plan: ProjectPlan;
  /** The plan's files plus the manifest, ready to write. */
  readonly files: readonly FileToWrite[];
}

/** Loads exactly the template folders the answers need, then plans (purely). */
export function planFromAnswers(catalog: Catalog, answers: ProjectAnswers): PlannedProject {
  const features = catalog.featuresFor(answers.milestones, answers.extraFeatures);
  const templates = loadTemplateTree(templateDirsFor(features, answers.options));
  const version = generatorVersion();
  const plan = planProject({ catalog, answers, templates, generatorVersion: version });
  const manifest = buildManifest({ plan, answers, generatorName: PACKAGE_NAME, generatorVersion: version });
  return {
    plan,
    files: [
      ...plan.files,
      { path: MANIFEST_FILE, content: serializeManifest(manifest), executable: false },
    ],
  };
}
