import type { Catalog } from '../catalog/catalog.ts';
import type { FeatureId } from '../catalog/features/index.ts';
import type { Milestone, Phase } from '../catalog/roadmap.ts';
import { UserError, usageError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { CreateFlags } from '../options.ts';
import type { StepContext } from './context.ts';

function choicesList(ids: readonly string[]): string {
  return ids.join(', ');
}

function resolvePhase(ctx: StepContext<CreateFlags>, value: string): Phase {
  const phase = ctx.catalog.phase(value);
  if (!phase) {
    throw usageError(`Unknown phase "${value}".`, [
      ...didYouMean(value, ctx.catalog.phases.map((candidate) => candidate.id)),
      `Valid phases: ${ctx.catalog.phases.map((candidate) => `${candidate.number} (${candidate.id})`).join(', ')}`,
    ]);
  }
  return phase;
}

function resolveMilestone(ctx: StepContext<CreateFlags>, id: string): Milestone {
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

export async function chooseMilestones(ctx: StepContext<CreateFlags>): Promise<Milestone[]> {
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
    const preferred = preferredMilestone(catalog, phase.id);
    if (!preferred) throw usageError(`No milestone of phase ${phase.number} is available in this version yet.`);
    return [preferred];
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
  const open = phaseChoices.filter((choice) => !choice.disabled);
  // Enter at every question must build what --yes builds: the cursor starts on
  // the default milestone's first phase, and on that milestone.
  const defaultPhase = phaseChoices.findIndex((choice) => choice.value === catalog.defaultMilestone.phases[0] && !choice.disabled);
  let chosenPhase = phase;
  if (!chosenPhase) {
    chosenPhase =
      open.length === 1
        ? resolvePhase(ctx, open[0]!.value)
        : resolvePhase(
            ctx,
            String(
              await io.prompt({
                type: 'select',
                message: 'Where are you on the roadmap?',
                hint: 'pick a phase; the next question lists the milestones that exercise it',
                choices: phaseChoices,
                initial: defaultPhase >= 0 ? defaultPhase : Math.max(0, phaseChoices.findIndex((choice) => !choice.disabled)),
              }),
            ),
          );
  }
  const candidates = catalog.milestonesForPhase(chosenPhase.id);
  const available = candidates.filter((milestone) => catalog.isAvailable(milestone));
  let main: Milestone;
  if (available.length === 1) {
    main = available[0]!;
    ctx.reporter.line(`Milestone: ${main.title} (${main.id}), the only one of phase ${chosenPhase.number} in this version.`);
  } else {
    const preferred = preferredMilestone(catalog, chosenPhase.id);
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
        initial: Math.max(0, candidates.findIndex((milestone) => milestone.id === preferred?.id)),
      }),
    );
    main = resolveMilestone(ctx, milestoneId);
  }
  return [main, ...(await chooseCompanions(ctx, main))];
}

/** The milestone Enter (or --yes with --phase) picks in a phase: the catalog's default when it is there, else the first available. */
function preferredMilestone(catalog: Catalog, phaseId: string): Milestone | undefined {
  const available = catalog.milestonesForPhase(phaseId).filter((milestone) => catalog.isAvailable(milestone));
  return available.find((milestone) => milestone.id === catalog.defaultMilestone.id) ?? available[0];
}

/**
 * On a terminal, the other milestones that can join the chosen one in the same
 * project (what `--milestone a,b` does with flags); none is ticked, so Enter
 * keeps one milestone. Not asked when nothing can join.
 */
async function chooseCompanions(ctx: StepContext<CreateFlags>, main: Milestone): Promise<Milestone[]> {
  const { catalog } = ctx;
  const others = catalog.milestones.filter((milestone) => {
    if (milestone.id === main.id || !catalog.isAvailable(milestone)) return false;
    return catalog.incompatibilityIn(catalog.featuresFor([main.id, milestone.id]).map((feature) => feature.id)) === undefined;
  });
  if (others.length === 0) return [];
  for (;;) {
    const ids = await ctx.io.prompt({
      type: 'multiselect',
      message: `Combine ${main.id} with other milestones in the same project?`,
      hint: 'optional: space ticks one, enter goes on (none ticked: just this one)',
      choices: others.map((milestone) => ({ title: milestone.title, value: milestone.id, description: milestone.summary })),
    });
    const chosen = (Array.isArray(ids) ? ids : []).map((id) => resolveMilestone(ctx, String(id)));
    try {
      assertCombines(catalog, [main.id, ...chosen.map((milestone) => milestone.id)]);
      return chosen;
    } catch (error) {
      // Each one combines with the main milestone; two ticked ones may still clash.
      if (!(error instanceof UserError)) throw error;
      ctx.reporter.warn(error.message);
    }
  }
}
