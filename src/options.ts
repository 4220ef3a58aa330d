import type { GeneratorId } from './generators/ids.ts';

/** What the user asked for on the command line (and in --answers), before any question is asked. */
export interface CreateFlags {
  readonly directory?: string;
  readonly name?: string;
  readonly phase?: string;
  readonly milestones: readonly string[];
  /** Catalog option id → value, as given on the command line. */
  readonly options: Readonly<Record<string, string>>;
  readonly git?: boolean;
  readonly install?: boolean;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly json: boolean;
  readonly answersFile?: string;
}

/** `progress`: the roadmap board of one project, or of several (a portfolio). */
export interface ProgressFlags {
  /** --dir, repeatable; empty: the current project. */
  readonly dirs: readonly string[];
  readonly json: boolean;
  readonly svg?: string;
  readonly skipTests: boolean;
}

export interface ListFlags {
  readonly json: boolean;
  readonly dir?: string;
}

/** `update`: re-render the recorded answers with this generator version and merge. */
export interface UpdateFlags {
  readonly dir?: string;
  readonly dryRun: boolean;
  readonly allowDirty: boolean;
  readonly json: boolean;
}

/** `add`: record more milestones or features, then update. */
export interface AddFlags extends UpdateFlags {
  /** Milestone or feature ids, as given. */
  readonly targets: readonly string[];
  /** Catalog option id → value, for options the new milestones bring. */
  readonly options: Readonly<Record<string, string>>;
  readonly yes: boolean;
}

/** `check`: report template-owned files that drifted from what the generator produces. */
export interface CheckFlags {
  readonly dir?: string;
  /** Lines added to a template-owned file count as drift too. */
  readonly strict: boolean;
  readonly json: boolean;
}

/** `own`: take a template-owned file, or changes to it, as the user's. */
export interface OwnFlags {
  readonly dir?: string;
  /** `PATH` (every change in it) or `PATH:LINE` (the change at that line). */
  readonly targets: readonly string[];
  /** The whole file, whatever it becomes. */
  readonly file: boolean;
  /** Give the file (or the change at LINE) back to the template. */
  readonly release: boolean;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/** `generate resource|task`: a micro-generator inside a project. */
export interface GenerateFlags {
  readonly kind: GeneratorId;
  readonly dir?: string;
  /** The resource's class name or the task's name, as given. */
  readonly name?: string;
  /** `generate resource --fields`. */
  readonly fields?: string;
  /** `generate resource --plural`: for nouns the regular rules get wrong. */
  readonly plural?: string;
  /** `generate resource --public`: in a project with auth, rows anyone may read and write. */
  readonly public?: boolean;
  /** `generate task --trigger/--no-trigger`: an API endpoint that queues the task. */
  readonly trigger?: boolean;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly json: boolean;
}

export type CommandName = 'create' | 'list' | 'add' | 'update' | 'check' | 'own' | 'generate' | 'progress';

/** The typed result of argument parsing; `cli.ts` produces it and `main.ts` runs it. */
export type Command =
  | { readonly kind: 'create'; readonly flags: CreateFlags }
  | { readonly kind: 'list'; readonly flags: ListFlags }
  | { readonly kind: 'add'; readonly flags: AddFlags }
  | { readonly kind: 'update'; readonly flags: UpdateFlags }
  | { readonly kind: 'check'; readonly flags: CheckFlags }
  | { readonly kind: 'own'; readonly flags: OwnFlags }
  | { readonly kind: 'generate'; readonly flags: GenerateFlags }
  | { readonly kind: 'progress'; readonly flags: ProgressFlags }
  | { readonly kind: 'help'; readonly command: CommandName }
  | { readonly kind: 'version' };
