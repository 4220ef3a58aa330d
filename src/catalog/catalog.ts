import { PLANNED_FEATURES, resolveFeatures, type Feature, type FeatureId } from './features/index.ts';
import { loadRoadmap } from './roadmap.ts';
import type { Incompatibility, Milestone, OptionDefinition, Phase, Roadmap } from './roadmap-types.ts';

/**
 * Read-only questions about a validated roadmap. Everything downstream of the
 * catalog (steps, planning, `list`) asks these instead of walking the JSON.
 */
export class Catalog {
  constructor(readonly roadmap: Roadmap) {}

  get phases(): readonly Phase[] {
    return this.roadmap.phases;
  }

  get milestones(): readonly Milestone[] {
    return this.roadmap.milestones;
  }

  get options(): readonly OptionDefinition[] {
    return this.roadmap.options;
  }

  milestone(id: string): Milestone | undefined {
    return this.roadmap.milestones.find((milestone) => milestone.id === id);
  }

  phase(idOrNumber: string): Phase | undefined {
    return this.roadmap.phases.find(
      (phase) => phase.id === idOrNumber || String(phase.number) === idOrNumber,
    );
  }

  option(id: string): OptionDefinition | undefined {
    return this.roadmap.options.find((option) => option.id === id);
  }

  topicTitle(id: string): string {
    for (const phase of this.roadmap.phases) {
      const topic = phase.topics.find((candidate) => candidate.id === id);
      if (topic) return topic.title;
    }
    return id;
  }

  /** Milestones that exercise a phase, in catalog order. */
  milestonesForPhase(phaseId: string): Milestone[] {
    return this.roadmap.milestones.filter((milestone) => milestone.phases.includes(phaseId));
  }

  /** A milestone can be generated once every feature it needs has templates. */
  isAvailable(milestone: Milestone): boolean {
    return milestone.features.every((feature) => !PLANNED_FEATURES.has(feature));
  }

  /**
   * Every catalog option's value for a project's answers: the answer, or the
   * option's default where the project has none (a project made before the
   * option existed was built as its default describes).
   */
  optionValuesOf(answered: Readonly<Record<string, string>>): Record<string, string> {
    const values: Record<string, string> = {};
    for (const option of this.options) values[option.id] = answered[option.id] ?? option.default;
    return values;
  }

  /** The options that apply to a set of milestones, in catalog order. */
  optionsFor(milestoneIds: readonly string[]): OptionDefinition[] {
    const wanted = new Set(milestoneIds.flatMap((id) => this.milestone(id)?.options ?? []));
    return this.roadmap.options.filter((option) => wanted.has(option.id));
  }

  /** The features a set of milestones needs, closed under `requires`, in registry order. */
  featuresFor(milestoneIds: readonly string[], extraFeatures: readonly FeatureId[] = []): Feature[] {
    const requested = milestoneIds.flatMap((id): readonly FeatureId[] => this.milestone(id)?.features ?? []);
    return resolveFeatures([...requested, ...extraFeatures]);
  }

  /**
   * The first declared incompatibility among `features` (a project's resolved
   * feature set), or undefined when they all combine. Features pulled in by
   * `requires` count: a milestone cannot smuggle in a clashing feature.
   */
  incompatibilityIn(features: Iterable<string>): Incompatibility | undefined {
    const present = new Set(features);
    return this.roadmap.incompatible.find(({ features: [a, b] }) => present.has(a) && present.has(b));
  }

  /** Milestones whose features are all in `features`: what a project already covers. */
  milestonesCoveredBy(features: ReadonlySet<string>): Milestone[] {
    return this.roadmap.milestones.filter((milestone) =>
      milestone.features.every((feature) => features.has(feature)),
    );
  }

  get defaultMilestone(): Milestone {
    const milestone = this.milestone(this.roadmap.defaultMilestone);
    if (!milestone) throw new Error('validated catalog has no default milestone');
    return milestone;
  }
}

/** The catalog of the roadmap.json shipped with this package. */
export function loadCatalog(): Catalog {
  return new Catalog(loadRoadmap());
}
