import { readFileSync } from 'node:fs';
import type { ErrorObject } from 'ajv';
import { ExitCode, UserError } from '../errors.ts';
import { ROADMAP_PATH } from '../paths.ts';
import type { Milestone, Roadmap, OptionCondition, OptionDefinition, TopicEvidence } from './roadmap-types.ts';
import { validateRoadmapSchema } from './roadmap-validator.ts';

export type { Topic, Phase, OptionChoice, TextAnswer, OptionDefinition, Decision, Learning, OptionCondition, TopicEvidence, TopicClaim, Milestone, Incompatibility, Roadmap, Challenge, ChallengeLevel } from './roadmap-types.ts';

/** One problem found in a catalog, located by its JSON Pointer path. */
export interface CatalogProblem {
  readonly path: string;
  readonly message: string;
}

/** A broken catalog is the packager's mistake, not the user's: exit 1, with every problem listed. */
export class CatalogError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: readonly CatalogProblem[],
  ) {
    super(
      `${file} is not a valid roadmap catalog (${problems.length} problem${problems.length === 1 ? '' : 's'}).`,
      ExitCode.failed,
      problems.map((problem) => `${problem.path || '/'}: ${problem.message}`),
    );
  }
}

function describeSchemaError(error: ErrorObject): CatalogProblem {
  const params = error.params as Record<string, unknown>;
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    message = `must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
  } else if (error.keyword === 'additionalProperties') {
    message = `has an unknown property "${String(params['additionalProperty'])}"`;
  } else if (error.keyword === 'required') {
    message = `is missing the required property "${String(params['missingProperty'])}"`;
  }
  return { path: error.instancePath, message };
}

/** Rules JSON Schema cannot say: unique ids, and references that must resolve. */
function crossReferenceProblems(roadmap: Roadmap): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = (kind: string, ids: { id: string; path: string }[]): Set<string> => {
    const set = new Set<string>();
    for (const { id, path } of ids) {
      if (set.has(id)) problems.push({ path, message: `duplicate ${kind} id "${id}"` });
      set.add(id);
    }
    return set;
  };
  const phaseIds = seen(
    'phase',
    roadmap.phases.map((phase, index) => ({ id: phase.id, path: `/phases/${index}/id` })),
  );
  const topicIds = seen(
    'topic',
    roadmap.phases.flatMap((phase, phaseIndex) =>
      phase.topics.map((topic, index) => ({
        id: topic.id,
        path: `/phases/${phaseIndex}/topics/${index}/id`,
      })),
    ),
  );
  const optionIds = seen(
    'option',
    roadmap.options.map((option, index) => ({ id: option.id, path: `/options/${index}/id` })),
  );
  const milestoneIds = seen(
    'milestone',
    roadmap.milestones.map((milestone, index) => ({ id: milestone.id, path: `/milestones/${index}/id` })),
  );

  roadmap.phases.forEach((phase, index) => {
    if (phase.number !== index + 1) {
      problems.push({
        path: `/phases/${index}/number`,
        message: `phases must be numbered 1, 2, 3… in order; expected ${index + 1}, found ${phase.number}`,
      });
    }
  });
  roadmap.options.forEach((option, index) => {
    if (option.text) {
      try {
        new RegExp(option.text.pattern, 'u');
      } catch (error) {
        problems.push({ path: `/options/${index}/text/pattern`, message: `is not a valid regular expression: ${(error as Error).message}` });
      }
      if (RESERVED_FLAGS.has(option.id)) {
        problems.push({ path: `/options/${index}/id`, message: `"${option.id}" is a built-in flag of the CLI and cannot name an option` });
      }
      return;
    }
    const values = seen(
      'choice',
      option.choices.map((choice, choiceIndex) => ({
        id: choice.value,
        path: `/options/${index}/choices/${choiceIndex}/value`,
      })),
    );
    if (!values.has(option.default)) {
      problems.push({
        path: `/options/${index}/default`,
        message: `"${option.default}" is not one of its choices (${[...values].join(', ')})`,
      });
    }
    if (RESERVED_FLAGS.has(option.id)) {
      problems.push({
        path: `/options/${index}/id`,
        message: `"${option.id}" is a built-in flag of the CLI and cannot name an option`,
      });
    }
  });
  roadmap.milestones.forEach((milestone, index) => {
    const unknown = (kind: string, key: string, ids: readonly string[], known: Set<string>): void => {
      ids.forEach((id, itemIndex) => {
        if (!known.has(id)) {
          problems.push({
            path: `/milestones/${index}/${key}/${itemIndex}`,
            message: `unknown ${kind} id "${id}"`,
          });
        }
      });
    };
    unknown('phase', 'phases', milestone.phases, phaseIds);
    unknown('option', 'options', milestone.options, optionIds);
    problems.push(...claimProblems(roadmap, milestone, `/milestones/${index}`, topicIds));
    const milestoneOptions = roadmap.options.filter((option) => milestone.options.includes(option.id));
    milestone.learning.objectives.forEach((objective, objectiveIndex) => {
      if (typeof objective !== 'string') {
        problems.push(...conditionProblems(objective.when, `/milestones/${index}/learning/objectives/${objectiveIndex}`, milestoneOptions, milestone));
      }
    });
    (milestone.challenges ?? []).forEach((challenge, challengeIndex) => {
      problems.push(...conditionProblems(challenge.when, `/milestones/${index}/challenges/${challengeIndex}`, milestoneOptions, milestone));
      challenge.topics.forEach((topic, topicIndex) => {
        if (!topicIds.has(topic)) {
          problems.push({ path: `/milestones/${index}/challenges/${challengeIndex}/topics/${topicIndex}`, message: `unknown topic id "${topic}"` });
        }
      });
    });
  });
  seen(
    'challenge',
    roadmap.milestones.flatMap((milestone, index) =>
      (milestone.challenges ?? []).map((challenge, challengeIndex) => ({ id: challenge.id, path: `/milestones/${index}/challenges/${challengeIndex}/id` })),
    ),
  );
  roadmap.milestones.forEach((milestone, index) => {
    const clash = roadmap.incompatible.find(({ features: [a, b] }) =>
      milestone.features.includes(a) && milestone.features.includes(b),
    );
    if (clash) {
      problems.push({
        path: `/milestones/${index}/features`,
        message: `needs ${clash.features.join(' and ')}, which /incompatible says do not combine`,
      });
    }
  });
  if (!milestoneIds.has(roadmap.defaultMilestone)) {
    problems.push({
      path: '/defaultMilestone',
      message: `unknown milestone id "${roadmap.defaultMilestone}"`,
    });
  }
  return problems;
}

/** The values to try for an option: every choice, or a text option's example answer. */
export function optionValues(option: OptionDefinition): string[] {
  return option.text ? [option.text.example] : option.choices.map((choice) => choice.value);
}

/** Every way to answer `options`: the cartesian product of their values (a text option counts once). */
export function optionProducts(options: readonly OptionDefinition[]): Record<string, string>[] {
  let products: Record<string, string>[] = [{}];
  for (const option of options) {
    products = products.flatMap((partial) => optionValues(option).map((value) => ({ ...partial, [option.id]: value })));
  }
  return products;
}

/** The values a condition accepts for one option: one, or any of a list. */
export function conditionValues(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

/** Whether a piece of evidence applies when the options have these values. */
export function evidenceApplies(evidence: Pick<TopicEvidence, 'when'>, options: Readonly<Record<string, string>>): boolean {
  return Object.entries(evidence.when ?? {}).every(([option, value]) => conditionValues(value).includes(options[option] ?? ''));
}

/**
 * A `when` condition's problems: every option it names is one of the milestone's
 * and takes choices, and every value it accepts is one of them.
 */
function conditionProblems(
  when: OptionCondition | undefined,
  at: string,
  options: readonly OptionDefinition[],
  milestone: Milestone,
): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const [optionId, accepted] of Object.entries(when ?? {})) {
    const option = options.find((candidate) => candidate.id === optionId);
    const where = `${at}/when/${optionId}`;
    if (!option) {
      problems.push({ path: where, message: `"${optionId}" is not an option of this milestone (${milestone.options.join(', ') || 'it has none'})` });
    } else if (option.text) {
      problems.push({ path: where, message: `${optionId} takes free text: evidence can depend on a choice only` });
    } else {
      for (const value of conditionValues(accepted)) {
        if (!option.choices.some((choice) => choice.value === value)) {
          problems.push({ path: where, message: `"${value}" is not a choice of ${optionId} (${option.choices.map((choice) => choice.value).join(', ')})` });
        }
      }
    }
  }
  return problems;
}

/**
 * A milestone's claims: known topics, each claimed once; `when` conditions
 * that name the milestone's own options and their real choices; evidence for
 * every way the options can be answered; and phases that match the topics
 * (a phase listed with no topic of it claimed, or a topic whose phase is not
 * listed, would make the README's "Roadmap skills" say something untrue).
 */
function claimProblems(roadmap: Roadmap, milestone: Milestone, at: string, topicIds: Set<string>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const options = roadmap.options.filter((option) => milestone.options.includes(option.id));
  const claimed = new Set<string>();
  milestone.topics.forEach((claim, index) => {
    const path = `${at}/topics/${index}`;
    if (!topicIds.has(claim.id)) problems.push({ path: `${path}/id`, message: `unknown topic id "${claim.id}"` });
    if (claimed.has(claim.id)) problems.push({ path: `${path}/id`, message: `topic "${claim.id}" is claimed twice` });
    claimed.add(claim.id);
    const conditions = [
      { when: claim.when, at: path },
      ...claim.evidence.map((evidence, evidenceIndex) => ({ when: evidence.when, at: `${path}/evidence/${evidenceIndex}` })),
    ];
    for (const { when, at: conditionAt } of conditions) problems.push(...conditionProblems(when, conditionAt, options, milestone));
    for (const answer of optionProducts(options)) {
      // A claim made only for some answers (`when`) needs no evidence for the others.
      if (!evidenceApplies(claim, answer)) continue;
      if (!claim.evidence.some((evidence) => evidenceApplies(evidence, answer))) {
        const described = Object.entries(answer).map(([id, value]) => `${id}=${value}`).join(', ');
        problems.push({ path: `${path}/evidence`, message: `no evidence for "${claim.id}" when ${described}` });
      }
    }
  });
  const phaseOf = new Map(roadmap.phases.flatMap((phase) => phase.topics.map((topic) => [topic.id, phase.id] as const)));
  const claimedPhases = new Set([...claimed].flatMap((id) => phaseOf.get(id) ?? []));
  milestone.phases.forEach((phase, index) => {
    if (!claimedPhases.has(phase)) {
      problems.push({ path: `${at}/phases/${index}`, message: `phase "${phase}" is listed but none of its topics is claimed` });
    }
  });
  for (const phase of claimedPhases) {
    if (!milestone.phases.includes(phase)) {
      problems.push({ path: `${at}/phases`, message: `a claimed topic belongs to phase "${phase}", which is not listed` });
    }
  }
  return problems;
}

/**
 * Flags the CLI defines itself. An option with one of these ids would make its
 * flag ambiguous, so the catalog may not declare it.
 */
export const RESERVED_FLAGS: ReadonlySet<string> = new Set([
  'milestone',
  'name',
  'phase',
  'yes',
  'git',
  'install',
  'no-git',
  'no-install',
  'dry-run',
  'force',
  'answers',
  'json',
  'help',
  'version',
  'dir',
  'allow-dirty',
]);

/**
 * A loaded catalog as the file would hold it: a text option without the empty
 * `choices` and `default` the loader gave it, so a catalog that was already
 * loaded (and copied, in tests) validates again.
 */
function asWritten(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { options?: unknown }).options)) return data;
  const options = (data as { options: unknown[] }).options.map((option) => {
    if (typeof option !== 'object' || option === null || !('text' in option)) return option;
    const { choices, default: fallback, ...rest } = option as { choices?: unknown; default?: unknown };
    const filledIn = Array.isArray(choices) && choices.length === 0 && fallback === '';
    return filledIn ? rest : option;
  });
  return { ...data, options };
}

/** Validates parsed JSON against schema/roadmap.schema.json and the cross-references; every problem is reported, not just the first. */
export function validateRoadmap(input: unknown, file = 'roadmap.json'): Roadmap {
  const data = asWritten(input);
  if (!validateRoadmapSchema(data)) {
    throw new CatalogError(file, (validateRoadmapSchema.errors ?? []).map(describeSchemaError));
  }
  // A text option has neither choices nor a default in the file; the code sees empty ones.
  const roadmap: Roadmap = { ...data, options: data.options.map((option) => ({ ...option, choices: option.choices ?? [], default: option.default ?? '' })) };
  const problems = crossReferenceProblems(roadmap);
  if (problems.length > 0) throw new CatalogError(file, problems);
  return roadmap;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogError(file, [{ path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CatalogError(file, [{ path: '', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
}

/** Reads and validates a catalog file (the packaged roadmap.json unless told otherwise). */
export function loadRoadmap(file = ROADMAP_PATH): Roadmap {
  return validateRoadmap(readJson(file), file);
}
