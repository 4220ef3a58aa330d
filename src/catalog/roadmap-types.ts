import type { FeatureId } from './features/index.ts';

/** The shapes of roadmap.json (schema/roadmap.schema.json checks them; roadmap.ts adds the cross-references). */
export interface Topic {
  readonly id: string;
  readonly title: string;
}

export interface Phase {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly goal: string;
  readonly topics: readonly Topic[];
  readonly outcome: string;
}

export interface OptionChoice {
  readonly value: string;
  readonly title: string;
  readonly description?: string;
}

/** A free-text option's answer: what it must look like, and where it comes from when nobody gives one. */
export interface TextAnswer {
  /** A regular expression every (normalized) answer must match. */
  readonly pattern: string;
  /** What the flag takes, in --help: `OWNER/NAME`. */
  readonly placeholder: string;
  readonly example: string;
  /** `git-remote`: the project's git remote `origin` answers it (src/steps/repository.ts). */
  readonly default?: 'git-remote';
}

export interface OptionDefinition {
  readonly id: string;
  readonly prompt: string;
  readonly description: string;
  /** The values to choose from; empty for a text option. */
  readonly choices: readonly OptionChoice[];
  /** The answer when none is given; empty for a text option (no answer). */
  readonly default: string;
  /** Present for a text option: any answer matching its pattern, instead of a choice. */
  readonly text?: TextAnswer;
}

export interface Decision {
  readonly title: string;
  readonly why: string;
}

/** A learning objective: its text, or its text and the option values whose projects demonstrate it. */
export type Objective = string | { readonly text: string; readonly when: OptionCondition };

export interface Learning {
  readonly objectives: readonly Objective[];
  readonly decisions: readonly Decision[];
  readonly challenges: readonly string[];
}

/**
 * A place in a generated project that demonstrates a topic: a file (with
 * `{package}` for the import package) and a symbol in it, whose meaning
 * depends on the file's kind (a Python qualified name, a YAML key path, a
 * Makefile target...; see schema/roadmap.schema.json). The tests check that
 * it exists and, for Python, that the project's own tests execute it.
 */
/**
 * A condition on a project's options: each named option must have the value, or
 * one of the values of a list (`{"framework": ["fastapi", "flask"]}`).
 */
export type OptionCondition = Readonly<Record<string, string | readonly string[]>>;

export interface TopicEvidence {
  readonly file: string;
  readonly symbol: string;
  /** Only for these option values; for every choice when absent. */
  readonly when?: OptionCondition;
}

/** A topic a milestone claims to exercise, and the code that backs the claim. */
export interface TopicClaim {
  readonly id: string;
  readonly evidence: readonly TopicEvidence[];
  /** Claimed only for these option values (the Django ORM on `framework: django`); for every choice when absent. */
  readonly when?: OptionCondition;
}

export interface Milestone {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  /** The summary on another framework (`django`), where `summary` would name the wrong one. */
  readonly frameworkSummaries?: Readonly<Record<string, string>>;
  readonly phases: readonly string[];
  readonly topics: readonly TopicClaim[];
  readonly features: readonly FeatureId[];
  readonly options: readonly string[];
  readonly learning: Learning;
  /** Graded, executable exercises (statement and tests ship in a feature's templates). */
  readonly challenges?: readonly Challenge[];
}

export const CHALLENGE_LEVELS = ['warm-up', 'practice', 'stretch'] as const;
export type ChallengeLevel = (typeof CHALLENGE_LEVELS)[number];

/** An executable exercise: `challenges/<id>.md` and `tests/challenges/test_<id>.py` in the project. */
export interface Challenge {
  readonly id: string;
  readonly title: string;
  readonly level: ChallengeLevel;
  readonly topics: readonly string[];
  /** Only for these option values (its files are in a variant's template folder); for every choice when absent. */
  readonly when?: OptionCondition;
}

/** Two features that cannot be in one project, and why (printed when the CLI refuses). */
export interface Incompatibility {
  readonly features: readonly [FeatureId, FeatureId];
  readonly reason: string;
}

export interface Roadmap {
  readonly version: 1;
  readonly title: string;
  readonly defaultMilestone: string;
  readonly phases: readonly Phase[];
  readonly options: readonly OptionDefinition[];
  readonly milestones: readonly Milestone[];
  /** Which features do not combine; every pair not listed does. */
  readonly incompatible: readonly Incompatibility[];
}
