import type { OptionValues } from '../catalog/features/index.ts';
import type { Milestone } from '../catalog/roadmap.ts';
import { usageError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import type { StepContext } from './context.ts';

/**
 * A value for each option the chosen milestones declare: the flag if given
 * (checked against the choices), a question on a terminal, else the default.
 * A flag for an option none of the milestones has is refused rather than ignored.
 * `answered` holds options a project already recorded (`add`): they are not
 * asked again or returned, and a flag may repeat but never change them.
 */
export async function chooseOptions(
  ctx: StepContext,
  milestones: readonly Milestone[],
  answered: OptionValues = {},
): Promise<OptionValues> {
  const { catalog, flags, io } = ctx;
  const ids = milestones.map((milestone) => milestone.id);
  const applicable = catalog.optionsFor(ids).filter((option) => answered[option.id] === undefined);
  for (const [id, value] of Object.entries(flags.options)) {
    const option = catalog.option(id);
    if (!option) throw usageError(`Unknown option "${id}".`, [`Options: ${catalog.options.map((o) => o.id).join(', ')}`]);
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
    if (!option.choices.some((choice) => choice.value === value)) {
      throw usageError(`"${value}" is not a valid value for --${id}.`, [
        ...didYouMean(value, option.choices.map((choice) => choice.value)),
        `Valid values: ${option.choices.map((choice) => choice.value).join(', ')}`,
      ]);
    }
  }
  const values: Record<string, string> = {};
  for (const option of applicable) {
    const given = flags.options[option.id];
    if (given !== undefined) {
      values[option.id] = given;
    } else if (ctx.interactive && option.choices.length > 1) {
      values[option.id] = String(
        await io.prompt({
          type: 'select',
          message: option.prompt,
          hint: option.description,
          choices: option.choices.map((choice) => ({
            title: choice.title,
            value: choice.value,
            ...(choice.description ? { description: choice.description } : {}),
          })),
          initial: Math.max(0, option.choices.findIndex((choice) => choice.value === option.default)),
        }),
      );
    } else {
      values[option.id] = option.default;
    }
  }
  return values;
}
