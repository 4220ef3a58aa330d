import type { OptionValues } from '../catalog/features/index.ts';
import { supportedChoices } from '../catalog/frameworks.ts';
import type { Milestone, OptionDefinition } from '../catalog/roadmap.ts';
import { usageError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { StepContext } from './context.ts';
import { parseRepository, repositoryFromRemote } from './repository.ts';

/** The flags `chooseOptions` reads: catalog option id → value, as given (create and add). */
export interface OptionFlags {
  readonly options: Readonly<Record<string, string>>;
}

/** A text answer as recorded: normalized (a repository URL becomes owner/name), or why it cannot be. */
function normalizeText(option: OptionDefinition, value: string): { value: string } | { problem: string } {
  const normalized = option.text?.default === 'git-remote' ? parseRepository(value).path : value.trim();
  if (new RegExp(option.text!.pattern, 'u').test(normalized)) return { value: normalized };
  return { problem: `"${value}" is not a valid --${option.id} (for example ${option.text!.example}).` };
}

/** The answer a text option takes when nobody gives one: from the git remote, for a `git-remote` default. */
function textDefault(ctx: StepContext, option: OptionDefinition, values: OptionValues): string | undefined {
  if (option.text?.default !== 'git-remote') return undefined;
  const url = ctx.gitRemote?.();
  if (url === undefined) return undefined;
  const found = repositoryFromRemote(url, values['ci']);
  if (found === undefined) return undefined;
  const normalized = normalizeText(option, found);
  return 'value' in normalized ? normalized.value : undefined;
}

/**
 * The answers to text options a project has not recorded that its sources now
 * give (the repository, once the project has a git remote): `update` records
 * them. Nothing is asked.
 */
export function answersFromSources(ctx: StepContext, milestones: readonly string[], recorded: OptionValues): Record<string, string> {
  const found: Record<string, string> = {};
  for (const option of ctx.catalog.optionsFor(milestones)) {
    if (!option.text || recorded[option.id] !== undefined) continue;
    const value = textDefault(ctx, option, recorded);
    if (value !== undefined) found[option.id] = value;
  }
  return found;
}

/**
 * A value for each option the chosen milestones declare: the flag if given
 * (checked against the choices, or a text option's pattern), a question on a
 * terminal, else the default (a text option's from its source, such as the git
 * remote, or no answer at all). A flag for an option none of the milestones has
 * is refused rather than ignored. `answered` holds options a project already
 * recorded (`add`): they are not asked again or returned, and a flag may repeat
 * but never change them.
 */
export async function chooseOptions(
  ctx: StepContext<OptionFlags>,
  milestones: readonly Milestone[],
  answered: OptionValues = {},
): Promise<OptionValues> {
  const { catalog, flags, io } = ctx;
  const ids = milestones.map((milestone) => milestone.id);
  const applicable = catalog.optionsFor(ids).filter((option) => answered[option.id] === undefined);
  const given: Record<string, string> = {};
  for (const [id, raw] of Object.entries(flags.options)) {
    const option = catalog.option(id);
    if (!option) throw usageError(`Unknown option "${id}".`, [`Options: ${catalog.options.map((o) => o.id).join(', ')}`]);
    let value = raw;
    if (option.text) {
      const normalized = normalizeText(option, raw);
      if ('problem' in normalized) throw usageError(normalized.problem, [option.prompt]);
      value = normalized.value;
    }
    const recorded = answered[id];
    if (recorded !== undefined) {
      if (recorded === value) continue;
      throw usageError(`This project already answered --${id} with "${recorded}"; add never changes an answer.`, [
        `Leave out --${id}, or pass --${id} ${recorded}.`,
      ]);
    }
    if (!applicable.includes(option)) {
      const users = catalog.milestones.filter((milestone) => milestone.options.includes(id)).map((m) => m.id);
      throw usageError(`--${id} does not apply to ${ids.join(', ')}.`, [`--${id} applies to: ${users.join(', ')}`]);
    }
    if (!option.text && !option.choices.some((choice) => choice.value === value)) {
      throw usageError(`"${value}" is not a valid value for --${id}.`, [
        ...didYouMean(value, option.choices.map((choice) => choice.value)),
        `Valid values: ${option.choices.map((choice) => choice.value).join(', ')}`,
      ]);
    }
    given[id] = value;
  }
  const values: Record<string, string> = {};
  // Only what the project's features can be built with (a framework without their variants is not offered).
  const features = catalog.featuresFor(ids);
  const offered = (option: OptionDefinition) => supportedChoices(option.id, option.choices, features, { ...answered, ...values });
  for (const option of applicable) {
    const flagged = given[option.id];
    if (flagged !== undefined) {
      values[option.id] = flagged;
    } else if (option.text) {
      const fallback = textDefault(ctx, option, { ...answered, ...values });
      if (ctx.interactive) {
        const answer = String(
          await io.prompt({
            type: 'text',
            message: option.prompt,
            initial: fallback ?? '',
            validate: (typed) => {
              if (typed.trim() === '') return true;
              const normalized = normalizeText(option, typed);
              return 'problem' in normalized ? normalized.problem : true;
            },
          }),
        ).trim();
        if (answer !== '') {
          const normalized = normalizeText(option, answer);
          if ('value' in normalized) values[option.id] = normalized.value;
        }
      } else if (fallback !== undefined) {
        values[option.id] = fallback;
      }
    } else if (ctx.interactive && offered(option).length > 1) {
      values[option.id] = String(
        await io.prompt({
          type: 'select',
          message: option.prompt,
          hint: option.description,
          choices: offered(option).map((choice) => ({
            title: choice.title,
            value: choice.value,
            ...(choice.description ? { description: choice.description } : {}),
          })),
          initial: Math.max(0, offered(option).findIndex((choice) => choice.value === option.default)),
        }),
      );
    } else {
      values[option.id] = option.default;
    }
  }
  return values;
}
