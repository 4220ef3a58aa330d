import type { FeatureId } from '../../src/catalog/features/index.ts';
import { loadTemplateTree } from '../../src/catalog/templates.ts';
import { planProject, templateDirsFor } from '../../src/plan/plan-project.ts';
import { catalog } from './template-tree.ts';

export type ProjectPlan = ReturnType<typeof planProject>;

/**
 * Plans a project from the real templates for the given milestones (FastAPI and
 * SQLite unless `options` says otherwise), as `create` would: planning is pure,
 * so the plan is the project.
 */
export function planMilestones(
  name: string,
  milestones: string[],
  options: Record<string, string> = {},
  extraFeatures: FeatureId[] = [],
): ProjectPlan {
  const answers = { name, milestones, extraFeatures, options: { framework: 'fastapi', db: 'sqlite', ...options } };
  const features = catalog.featuresFor(milestones, extraFeatures);
  const templates = loadTemplateTree(templateDirsFor(features, answers.options));
  return planProject({ catalog, answers, templates, generatorVersion: '0.0.0-test' });
}

/** The text of one planned file; throws when the plan has no such file. */
export function plannedText(result: ProjectPlan, path: string): string {
  const found = result.files.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`${path} was not planned`);
  return found.content.toString('utf8');
}
