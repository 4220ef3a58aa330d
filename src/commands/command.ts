import { parseArgs } from 'node:util';
import type { Catalog } from '../catalog/catalog.ts';
import { usageError } from '../errors.ts';
import type { CliIO } from '../io.ts';
import type { Command } from '../options.ts';
import { didYouMean } from '../suggest.ts';
import type { FlagSpec } from './flag-spec.ts';

export type { FlagSpec };

/** Flags every command takes. */
export const COMMON_FLAGS: FlagSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

/** A flag per catalog option (`--db`, `--ci`...), for the commands that choose options. */
export function catalogFlags(catalog: Catalog): FlagSpec {
  return Object.fromEntries(catalog.options.map((option) => [option.id, { type: 'string' as const }]));
}

export function flagList(spec: FlagSpec): string {
  return Object.entries(spec)
    .map(([name, flag]) => (flag.short ? `-${flag.short}/--${name}` : `--${name}`))
    .join(', ');
}

/** What an option's flag takes: its choices, or a text option's example. */
export function optionValueHint(option: Catalog['options'][number]): string {
  return option.text ? option.text.placeholder : option.choices.map((choice) => choice.value).join('|');
}

/** A set of flags and who takes it (`create`, `generate task`): to say where a misplaced flag belongs. */
export type FlagOwner = readonly [label: string, spec: FlagSpec];

/** What a command's parser reads besides its own arguments. */
export interface ParseContext {
  readonly catalog: Catalog;
  /** Every command's flags, in the order `--help` lists the commands. */
  readonly flagOwners: readonly FlagOwner[];
  /** The command names, for "did you mean" on a bare word. */
  readonly commandNames: readonly string[];
  /** The first bare word of the command line, when there is one. */
  readonly firstWord?: string;
}

/** Turns node's parseArgs errors into the contract's "exit 2 with the valid choices". */
export function parseOrExplain(args: string[], options: FlagSpec, command: string, ctx: ParseContext): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const typed = /'(-{1,2}[^'=]+)/.exec(message)?.[1] ?? '';
      const name = typed.replace(/^-+/, '');
      const owners = ctx.flagOwners.filter(([owner, spec]) => owner !== command && Object.hasOwn(spec, name)).map(([owner]) => owner);
      const hints = typed.startsWith('--')
        ? owners.length > 0
          ? [`--${name} is a flag of ${owners.join(', ')}, not of ${command}.`]
          : didYouMean(name, Object.keys(options), (flag) => `--${flag}`)
        : [];
      throw usageError(message.replace(/^Unknown option/, 'Unknown flag'), [...hints, `Valid flags: ${flagList(options)}`]);
    }
    throw usageError(message);
  }
}

/** A command's run, as the CLI sees it: the report (printed as JSON with --json) and the exit code. */
export interface CommandOutcome {
  readonly report: unknown;
  readonly exitCode: number;
}

type RunnableCommand = Exclude<Command, { kind: 'help' | 'version' }>;
export type CommandKind = RunnableCommand['kind'];
export type FlagsOf<K extends CommandKind> = Extract<RunnableCommand, { kind: K }>['flags'];

/**
 * One command of the CLI: its flags, its help, its parser and its run. The
 * definition is small and loaded at every start; `run` imports the command's
 * code when it runs (the bundle splits it into its own chunk), so --version,
 * --help and a usage error load none of it.
 */
export interface CommandDefinition<K extends CommandKind> {
  readonly name: K;
  /** The command's flag sets, labelled (generate has one per generator). */
  flags(catalog: Catalog): readonly FlagOwner[];
  help(catalog: Catalog): string;
  /** The arguments after the command's name → a typed command (or help/version); usage errors exit 2. */
  parse(args: string[], ctx: ParseContext): Command;
  run(io: CliIO, flags: FlagsOf<K>, catalog: Catalog): Promise<CommandOutcome>;
}

/** `--help`/`--version` given to a command: the parsed values say which, if either. */
export function helpOrVersion(values: Record<string, unknown>, command: Exclude<Command, { kind: 'help' | 'version' }>['kind']): Command | undefined {
  if (values['version']) return { kind: 'version' };
  if (values['help']) return { kind: 'help', command };
  return undefined;
}

/** `--dir DIR` of the in-project commands: absent, or a non-empty path. */
export function projectDir(values: Record<string, unknown>): { readonly dir?: string } {
  const dir = values['dir'];
  if (typeof dir === 'string' && dir.trim() === '') throw usageError('--dir needs a value.');
  return typeof dir === 'string' ? { dir } : {};
}
