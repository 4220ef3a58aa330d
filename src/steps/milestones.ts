import type { Catalog } from '../catalog/catalog.ts';
import type { FeatureId } from '../catalog/features/index.ts';
import type { Milestone, Phase } from '../catalog/roadmap.ts';
import { usageError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { StepContext } from './context.ts';

function choicesList(ids: readonly string[]): string {
  return ids.join(', ');
}

function resolvePhase(ctx: StepContext, value: string): Phase {
  const phase = ctx.catalog.phase(value);
  if (!phase) {
    throw usageError(`Unknown phase "${value}".`, [
      ...didYouMean(value, ctx.catalog.phases.map((candidate) => candidate.id)),
      `Valid phases: ${ctx.catalog.phases.map((candidate) => `${candidate.number} (${candidate.id})`).join(', ')}`,
    ]);
  }
  return phase;
}

function resolveMilestone(ctx: StepContext, id: string): Milestone {
  const milestone = ctx.catalog.milestone(id);
  const available = ctx.catalog.milestones.filter((candidate) => ctx.catalog.isAvailable(candidate));
  if (!milestone) {
    throw usageError(`Unknown milestone "${id}".`, [
      ...didYouMean(id, available.map((candidate) => candidate.id)),
      `Valid milestones: ${choicesList(available.map((candidate) => candidate.id))}`,
    ]);
  }
  if (!ctx.catalog.isAvailable(milestone)) {
    throw usageError(`The milestone "${id}" is not available in this version yet.`, [
      `Available milestones: ${choicesList(available.map((candidate) => candidate.id))}`,
    ]);
  }
  return milestone;
}

/**
 * The milestones to generate. Flags first (each checked against the catalog,
 * never replaced by a default); then, on a terminal, a phase of the roadmap and
 * one of the milestones that exercise it; with --yes, the catalog's default.
 */
/**
 * Refuses (exit 2) a set of milestones and extra features whose resolved
 * features include a pair the catalog's `incompatible` list names, with its reason.
 */
export function assertCombines(catalog: Catalog, milestoneIds: readonly string[], extraFeatures: readonly FeatureId[] = []): void {
  const features = catalog.featuresFor(milestoneIds, extraFeatures).map((feature) => feature.id);
  const clash = catalog.incompatibilityIn(features);
  if (!clash) return;
  const [a, b] = clash.features;
  const culprits = (feature: string): string =>
    milestoneIds.filter((id) => catalog.milestone(id)?.features.includes(feature as FeatureId)).join(', ') || feature;
  throw usageError(`The features ${a} (${culprits(a)}) and ${b} (${culprits(b)}) cannot be in one project: ${clash.reason}`, [
    'Choose milestones without one of them.',
  ]);
}

export async function chooseMilestones(ctx: StepContext): Promise<Milestone[]> {
  const { flags, catalog, io } = ctx;
  const phase = flags.phase === undefined ? undefined : resolvePhase(ctx, flags.phase);
  if (flags.milestones.length > 0) {
    const milestones = [...new Set(flags.milestones)].map((id) => resolveMilestone(ctx, id));
    if (phase) {
      const outside = milestones.filter((milestone) => !milestone.phases.includes(phase.id));
      if (outside.length > 0) {
        throw usageError(
          `${outside.map((milestone) => milestone.id).join(', ')} does not exercise phase ${phase.number} (${phase.title}).`,
          [`Milestones of that phase: ${choicesList(catalog.milestonesForPhase(phase.id).map((m) => m.id))}`],
        );
      }
    }
    assertCombines(catalog, milestones.map((milestone) => milestone.id));
    return milestones;
  }
  if (!ctx.interactive) {
    if (!flags.yes) {
      throw usageError('No milestone was given and there is no terminal to ask for one.', [
        'Pass --milestone ID (or --yes for the default).',
        `Valid milestones: ${choicesList(catalog.milestones.filter((m) => catalog.isAvailable(m)).map((m) => m.id))}`,
      ]);
    }
    if (!phase) return [catalog.defaultMilestone];
    const first = catalog.milestonesForPhase(phase.id).find((milestone) => catalog.isAvailable(milestone));
    if (!first) throw usageError(`No milestone of phase ${phase.number} is available in this version yet.`);
    return [first];
  }

  const phaseChoices = catalog.phases.map((candidate) => {
    const count = catalog.milestonesForPhase(candidate.id).filter((m) => catalog.isAvailable(m)).length;
    return {
      title: `${String(candidate.number).padStart(2)}. ${candidate.title}`,
      value: candidate.id,
      description: `${candidate.goal} (${count} milestone${count === 1 ? '' : 's'})`,
      disabled: count === 0,
    };
  });
  // Start on the portfolio phase (the roadmap's goal) when it has something to offer.
  const portfolio = phaseChoices.findIndex((choice) => choice.value === 'portfolio' && !choice.disabled);
  const chosenPhase =
    phase ??
    resolvePhase(
      ctx,
      String(
        await io.prompt({
          type: 'select',
          message: 'Where are you on the roadmap?',
          hint: 'pick a phase; the next question lists the milestones that exercise it',
          choices: phaseChoices,
          initial: portfolio >= 0 ? portfolio : Math.max(0, phaseChoices.findIndex((choice) => !choice.disabled)),
        }),
      ),
    );
  const candidates = catalog.milestonesForPhase(chosenPhase.id);
  const milestoneId = String(
    await io.prompt({
      type: 'select',
      message: 'Which milestone?',
      choices: candidates.map((milestone) => ({
        title: milestone.title,
        value: milestone.id,
        description: catalog.isAvailable(milestone) ? milestone.summary : 'coming soon',
        disabled: !catalog.isAvailable(milestone),
      })),
      initial: Math.max(0, candidates.findIndex((milestone) => catalog.isAvailable(milestone))),
    }),
  );
  return [resolveMilestone(ctx, milestoneId)];
}
