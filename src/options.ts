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

export interface ListFlags {
  readonly json: boolean;
  readonly dir?: string;
}

/** The typed result of argument parsing; `cli.ts` produces it and `main.ts` runs it. */
export type Command =
  | { readonly kind: 'create'; readonly flags: CreateFlags }
  | { readonly kind: 'list'; readonly flags: ListFlags }
  | { readonly kind: 'help'; readonly command: 'create' | 'list' }
  | { readonly kind: 'version' };
