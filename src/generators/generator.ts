import type { Catalog } from '../catalog/catalog.ts';
import type { Feature, FeatureId } from '../catalog/features/index.ts';
import type { FlagSpec } from '../commands/flag-spec.ts';
import type { CliIO } from '../io.ts';
import type { GeneratedRecord } from '../manifest/manifest.ts';
import type { GenerateFlags } from '../options.ts';
import type { LocatedProject } from '../project/locate-project.ts';
import type { GeneratorId } from './ids.ts';
import type { Insertion } from './markers.ts';

/** What a generator plans, whatever it generates: new files, marker insertions, the manifest record. */
export interface GeneratorPlan {
  /** The generated thing's name, as reported (`Invoice`, `send_reminders`). */
  readonly name: string;
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly insertions: readonly Insertion[];
  readonly record: GeneratedRecord;
  /** What to run next, one command with its comment per line. */
  readonly next: readonly string[];
}

/** What a generator reads: the open project, its features, the flags, and whether it may ask. */
export interface GeneratorInput {
  readonly io: CliIO;
  readonly catalog: Catalog;
  readonly project: LocatedProject;
  readonly features: readonly Feature[];
  readonly flags: GenerateFlags;
  /** Questions are asked only on a TTY, without --yes and without --json. */
  readonly interactive: boolean;
}

/**
 * A micro-generator (`generate <id>`): the feature it needs, its flags, the
 * questions that turn flags into answers, and the pure plan from the answers.
 * `commands/generate/run.ts` does the rest for every generator alike: apply
 * the insertions, refuse existing files, record it in the manifest, write
 * through the journal.
 */
export interface Generator<Answers = unknown> {
  readonly id: GeneratorId;
  /** The feature a project must have, why, and how to get it (the usage error's lines). */
  readonly requires: { readonly feature: FeatureId; readonly why: string; readonly hint: string };
  /** The web frameworks (`--framework` values) it writes code for; a project on another is refused (exit 2). */
  readonly frameworks: readonly string[];
  readonly flags: FlagSpec;
  /** The answers, from flags, else questions on a terminal; a missing one without a terminal is exit 2. */
  ask(input: GeneratorInput): Promise<Answers>;
  /** Validates the answers against the project (exit 2 on a clash) and plans the files. */
  plan(input: GeneratorInput, answers: Answers): GeneratorPlan;
}
