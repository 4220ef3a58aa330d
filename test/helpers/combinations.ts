import type { Catalog } from '../../src/catalog/catalog.ts';
import { frameworkBuilds } from '../../src/catalog/frameworks.ts';
import { optionProducts, optionValues, type Incompatibility } from '../../src/catalog/roadmap.ts';

export { optionValues };

/** One project the CLI must be able to generate: a set of milestones and a value for each option that applies. */
export interface Combination {
  readonly milestones: readonly string[];
  readonly options: Readonly<Record<string, string>>;
}

/** One command line the CLI must refuse with exit 2, and why it is invalid. */
export interface InvalidCombination {
  readonly milestones: readonly string[];
  readonly flags: readonly string[];
  readonly why: string;
  /** Text the refusal must contain (the valid choices, or the catalog's reason). */
  readonly mustMention: readonly string[];
}

/** Every non-empty subset of `items`, in a stable order (by size, then catalog order). */
function subsets<T>(items: readonly T[]): T[][] {
  const all: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask += 1) {
    all.push(items.filter((_, index) => (mask & (1 << index)) !== 0));
  }
  return all.sort((a, b) => a.length - b.length);
}

/**
 * The whole space the catalog allows, read from the catalog alone: every set
 * of available milestones splits into the ones whose resolved features
 * include an `incompatible` pair and the ones that combine.
 */
export function milestoneSets(catalog: Catalog): {
  readonly combining: readonly (readonly string[])[];
  readonly clashing: readonly { readonly milestones: readonly string[]; readonly clash: Incompatibility }[];
} {
  const available = catalog.milestones.filter((milestone) => catalog.isAvailable(milestone)).map((milestone) => milestone.id);
  const combining: string[][] = [];
  const clashing: { milestones: string[]; clash: Incompatibility }[] = [];
  for (const milestones of subsets(available)) {
    const clash = catalog.incompatibilityIn(catalog.featuresFor(milestones).map((feature) => feature.id));
    if (clash) clashing.push({ milestones, clash });
    else combining.push(milestones);
  }
  return { combining, clashing };
}

/**
 * Every option product of each combining milestone set, split by whether the
 * chosen framework builds it (src/catalog/frameworks.ts: a feature without a
 * variant for it, or an option value it does not support, is refused).
 */
function optionCombinations(catalog: Catalog): { readonly built: Combination[]; readonly refused: Combination[] } {
  const built: Combination[] = [];
  const refused: Combination[] = [];
  for (const milestones of milestoneSets(catalog).combining) {
    const features = catalog.featuresFor(milestones);
    for (const options of optionProducts(catalog.optionsFor(milestones))) {
      (frameworkBuilds(features, options) ? built : refused).push({ milestones, options });
    }
  }
  return { built, refused };
}

/** Every valid combination: each combining milestone set × every value of every option that applies to it, that its framework builds. */
export function validCombinations(catalog: Catalog): Combination[] {
  return optionCombinations(catalog).built;
}

/** The combinations the catalog allows but the chosen framework cannot build yet (refused with exit 2). */
export function frameworkRefusedCombinations(catalog: Catalog): Combination[] {
  return optionCombinations(catalog).refused;
}

/**
 * Every kind of invalid combination, for each milestone set: a value an option
 * does not have, an option none of the milestones has, and milestones whose
 * features the catalog says do not combine.
 */
export function invalidCombinations(catalog: Catalog): InvalidCombination[] {
  const { combining, clashing } = milestoneSets(catalog);
  const invalid: InvalidCombination[] = [];
  for (const milestones of combining) {
    const applicable = new Set(catalog.optionsFor(milestones).map((option) => option.id));
    for (const option of catalog.options) {
      if (applicable.has(option.id)) {
        invalid.push({
          milestones,
          flags: [`--${option.id}`, option.text ? 'Not A Valid Answer!' : `not-a-${option.id}`],
          why: `--${option.id} has no such choice`,
          mustMention: option.text ? [option.text.example] : option.choices.map((choice) => choice.value),
        });
      } else {
        invalid.push({
          milestones,
          flags: [`--${option.id}`, optionValues(option)[0]!],
          why: `none of ${milestones.join(', ')} has the option ${option.id}`,
          mustMention: [`--${option.id}`],
        });
      }
    }
  }
  for (const { milestones, clash } of clashing) {
    invalid.push({ milestones, flags: [], why: clash.reason, mustMention: [clash.reason] });
  }
  // One refused option product per milestone set and framework is enough to prove the refusal.
  const seen = new Set<string>();
  for (const { milestones, options } of frameworkRefusedCombinations(catalog)) {
    const key = `${milestones.join(',')} ${options['framework']}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const flags = Object.entries(options).flatMap(([id, value]) => [`--${id}`, value]);
    invalid.push({ milestones, flags, why: `--framework ${options['framework']} cannot build it yet`, mustMention: [`--framework ${options['framework']} does not support`] });
  }
  return invalid;
}

/** The command-line arguments that ask for a combination. */
export function combinationArgs(combination: Combination): string[] {
  return [
    '--milestone',
    combination.milestones.join(','),
    ...Object.entries(combination.options).flatMap(([id, value]) => [`--${id}`, value]),
  ];
}

/**
 * The settings one combination makes: each available milestone in or out, and
 * each option that applies set to its value (an option none of the milestones
 * has makes no setting: it cannot be chosen there).
 */
export function settingsOf(catalog: Catalog, combination: Combination): string[] {
  const chosen = new Set(combination.milestones);
  const milestones = catalog.milestones
    .filter((milestone) => catalog.isAvailable(milestone))
    .map((milestone) => `milestone:${milestone.id}=${chosen.has(milestone.id) ? 'in' : 'out'}`);
  return [...milestones, ...Object.entries(combination.options).map(([id, value]) => `option:${id}=${value}`)];
}

/** Every pair of settings one combination makes, as `a|b` with a < b. */
export function pairsOf(catalog: Catalog, combination: Combination): string[] {
  const settings = settingsOf(catalog, combination).sort();
  const pairs: string[] = [];
  for (let i = 0; i < settings.length; i += 1) {
    for (let j = i + 1; j < settings.length; j += 1) pairs.push(`${settings[i]}|${settings[j]}`);
  }
  return pairs;
}

/**
 * A covering array of strength 2 over the valid combinations: a subset in which
 * every pair of settings that some valid combination makes (two milestones in
 * or out together, a milestone with an option value, two option values) occurs
 * at least once. Most bugs of a configurable generator need two settings to
 * meet (`--db mysql` with `--ci gitlab`, jobs with kubernetes), so the default
 * suite runs these and `npm run test:matrix:all` runs every combination.
 *
 * Greedy: repeatedly take the combination that covers the most pairs not
 * covered yet (ties: the first in catalog order), so the result is the same on
 * every run.
 */
export function pairwiseCombinations(catalog: Catalog, all: readonly Combination[] = validCombinations(catalog)): Combination[] {
  const pairs = all.map((combination) => pairsOf(catalog, combination));
  const uncovered = new Set(pairs.flat());
  const chosen: Combination[] = [];
  const taken = new Set<number>();
  while (uncovered.size > 0) {
    let best = -1;
    let bestGain = 0;
    pairs.forEach((candidate, index) => {
      if (taken.has(index)) return;
      const gain = candidate.reduce((sum, pair) => sum + (uncovered.has(pair) ? 1 : 0), 0);
      if (gain > bestGain) {
        best = index;
        bestGain = gain;
      }
    });
    taken.add(best);
    chosen.push(all[best] as Combination);
    for (const pair of pairs[best] ?? []) uncovered.delete(pair);
  }
  return chosen;
}
