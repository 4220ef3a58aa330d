import type { Catalog } from '../catalog/catalog.ts';
import { FEATURES, isFeatureId, type FeatureId } from '../catalog/features/index.ts';
import type { Milestone } from '../catalog/roadmap.ts';
import { usageError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { ProjectAnswers } from '../render/context.ts';
import type { StepContext } from './context.ts';
import { assertCombines } from './milestones.ts';

export interface AddTargets {
  /** Milestones to add, in the order given, none already recorded. */
  readonly milestones: readonly Milestone[];
  /** Features asked for by name that the project does not have yet. */
  readonly features: readonly FeatureId[];
  /** Names given that the project already covers: reported, not an error. */
  readonly alreadyThere: readonly string[];
}

function availableNames(catalog: Catalog): string[] {
  return [
    ...catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((milestone) => milestone.id),
    ...FEATURES.map((feature) => feature.id).filter((id) => id !== 'base'),
  ];
}

/**
 * What `add` adds: each name is a milestone or a feature of the catalog (a
 * milestone wins when both exist). Unknown or not-yet-available names are
 * refused with the valid choices; names the project already covers are noted.
 * With no names on a terminal, asks which milestone to add.
 */
export async function chooseAddTargets(
  ctx: StepContext,
  names: readonly string[],
  answers: ProjectAnswers,
): Promise<AddTargets> {
  const { catalog } = ctx;
  const have = new Set<string>(catalog.featuresFor(answers.milestones, answers.extraFeatures).map((feature) => feature.id));
  let wanted = [...new Set(names)];
  if (wanted.length === 0) {
    const candidates = catalog.milestones.filter(
      (milestone) => catalog.isAvailable(milestone) && !answers.milestones.includes(milestone.id),
    );
    if (!ctx.interactive) {
      throw usageError('Name what to add: a milestone or a feature.', [
        `Milestones you can add: ${candidates.map((milestone) => milestone.id).join(', ') || 'none (this project has them all)'}`,
      ]);
    }
    if (candidates.length === 0) throw usageError('This project already has every available milestone.');
    wanted = [
      String(
        await ctx.io.prompt({
          type: 'select',
          message: 'Which milestone do you want to add?',
          choices: candidates.map((milestone) => ({ title: milestone.title, value: milestone.id, description: milestone.summary })),
        }),
      ),
    ];
  }
  const milestones: Milestone[] = [];
  const features: FeatureId[] = [];
  const alreadyThere: string[] = [];
  for (const name of wanted) {
    const milestone = catalog.milestone(name);
    if (milestone) {
      if (!catalog.isAvailable(milestone)) {
        throw usageError(`The milestone "${name}" is not available in this version yet.`, [
          `You can add: ${availableNames(catalog).join(', ')}`,
        ]);
      }
      if (answers.milestones.includes(name)) alreadyThere.push(name);
      else milestones.push(milestone);
      continue;
    }
    if (isFeatureId(name)) {
      if (!FEATURES.some((feature) => feature.id === name)) {
        throw usageError(`The feature "${name}" is not available in this version yet.`, [
          `You can add: ${availableNames(catalog).join(', ')}`,
        ]);
      }
      if (have.has(name)) alreadyThere.push(name);
      else features.push(name);
      continue;
    }
    throw usageError(`Unknown milestone or feature "${name}".`, [
      ...didYouMean(name, availableNames(catalog)),
      `You can add: ${availableNames(catalog).join(', ')}`,
    ]);
  }
  assertCombines(catalog, [...answers.milestones, ...milestones.map((milestone) => milestone.id)], [
    ...(answers.extraFeatures ?? []),
    ...features,
  ]);
  return { milestones, features, alreadyThere };
}
